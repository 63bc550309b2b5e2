/**
 * EventBridge event-pattern matching, compiled once per pattern so that routing an event costs a few closure calls
 * per rule. Semantics follow the EventBridge user guide ("Event patterns", "Content filtering in Amazon EventBridge
 * event patterns", "Comparison operators"); the case tables in event-pattern-matcher.test.ts are taken from there.
 */

export type JsonScalar = string | number | boolean | null;

/** Thrown for a pattern EventBridge would refuse; the server maps it to `InvalidEventPatternException`. */
export class InvalidEventPatternError extends Error {
  readonly code = 'InvalidEventPatternException';

  constructor(reason: string, path: readonly string[] = []) {
    super(`Event pattern is not valid. Reason: ${reason}${path.length > 0 ? ` at "${path.join('.')}"` : ''}`);
    this.name = 'InvalidEventPatternError';
  }
}

type ScalarTest = (value: JsonScalar) => boolean;

interface LeafField {
  readonly key: string;
  readonly ownOnly: boolean;
  /** `exists: true` among the alternatives: any leaf value satisfies the field. */
  readonly existsTrue: boolean;
  /** `exists: false` among the alternatives: no leaf value satisfies the field. */
  readonly existsFalse: boolean;
  readonly test: ScalarTest | undefined;
}

interface ObjectField {
  readonly key: string;
  readonly ownOnly: boolean;
  readonly node: PatternNode;
}

interface PatternNode {
  readonly leaves: readonly LeafField[];
  readonly objects: readonly ObjectField[];
  /** Each entry is one `$or`: at least one of its branches must match the same object. */
  readonly ors: readonly (readonly PatternNode[])[];
}

/** A validated pattern; opaque to callers, pass it to {@link matchesEventPattern}. */
export interface CompiledEventPattern {
  readonly root: PatternNode;
  /** The pattern as JSON, as EventBridge echoes it back in DescribeRule. */
  readonly source: string;
}

const EMPTY_OBJECT: Readonly<Record<string, unknown>> = Object.freeze({});

export function compileEventPattern(pattern: string | object): CompiledEventPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      throw new InvalidEventPatternError(`the pattern is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isPlainObject(parsed)) throw new InvalidEventPatternError('the pattern must be a JSON object');
  return { root: compileNode(parsed, []), source: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) };
}

export function matchesEventPattern(compiled: CompiledEventPattern, event: object): boolean {
  return matchNode(compiled.root, event as Record<string, unknown>);
}

function matchNode(node: PatternNode, object: Record<string, unknown>): boolean {
  for (const leaf of node.leaves) {
    if (!matchLeaf(leaf, fieldOf(object, leaf.key, leaf.ownOnly))) return false;
  }
  for (const field of node.objects) {
    if (!matchObjectField(field.node, fieldOf(object, field.key, field.ownOnly))) return false;
  }
  for (const branches of node.ors) {
    let any = false;
    for (const branch of branches) {
      if (matchNode(branch, object)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

function fieldOf(object: Record<string, unknown>, key: string, ownOnly: boolean): unknown {
  // Keys such as "constructor" would otherwise read Object.prototype members of a JSON.parse'd event.
  if (ownOnly && !Object.hasOwn(object, key)) return undefined;
  return object[key];
}

/** Array elements are alternatives: a nested pattern must match one element as a whole (array consistency). */
function matchObjectField(node: PatternNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    const found = scanObjects(node, value);
    return found === 'absent' ? matchNode(node, EMPTY_OBJECT) : found === 'match';
  }
  return matchNode(node, isPlainObject(value) ? value : EMPTY_OBJECT);
}

type Scan = 'match' | 'present' | 'absent';

function scanObjects(node: PatternNode, values: readonly unknown[]): Scan {
  let present = false;
  for (const element of values) {
    if (Array.isArray(element)) {
      const found = scanObjects(node, element);
      if (found === 'match') return found;
      present ||= found === 'present';
    } else if (isPlainObject(element)) {
      if (matchNode(node, element)) return 'match';
      present = true;
    }
  }
  return present ? 'present' : 'absent';
}

/** Objects are not leaves: a field holding one counts as absent, which is what `exists` means in EventBridge. */
function matchLeaf(leaf: LeafField, value: unknown): boolean {
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) {
    return leaf.existsFalse;
  }
  if (!Array.isArray(value)) {
    return leaf.existsTrue || (leaf.test !== undefined && leaf.test(value as JsonScalar));
  }
  const found = scanLeaves(leaf, value);
  return found === 'absent' ? leaf.existsFalse : found === 'match';
}

function scanLeaves(leaf: LeafField, values: readonly unknown[]): Scan {
  let present = false;
  for (const element of values) {
    if (Array.isArray(element)) {
      const found = scanLeaves(leaf, element);
      if (found === 'match') return found;
      present ||= found === 'present';
    } else if (element !== undefined && (typeof element !== 'object' || element === null)) {
      if (leaf.existsTrue || (leaf.test !== undefined && leaf.test(element as JsonScalar))) return 'match';
      present = true;
    }
  }
  return present ? 'present' : 'absent';
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation
// ---------------------------------------------------------------------------------------------------------------

function compileNode(pattern: Record<string, unknown>, path: readonly string[]): PatternNode {
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new InvalidEventPatternError('empty objects are not allowed', path);
  const leaves: LeafField[] = [];
  const objects: ObjectField[] = [];
  const ors: PatternNode[][] = [];
  for (const key of keys) {
    const value = pattern[key];
    const here = [...path, key];
    const ownOnly = key in Object.prototype;
    if (key === '$or') {
      ors.push(compileOr(value, here));
    } else if (Array.isArray(value)) {
      leaves.push({ key, ownOnly, ...compileLeaf(value, here) });
    } else if (isPlainObject(value)) {
      objects.push({ key, ownOnly, node: compileNode(value, here) });
    } else {
      throw new InvalidEventPatternError(
        `match value must be put inside a JSON array or be a nested object, found ${describe(value)}`,
        here,
      );
    }
  }
  return { leaves, objects, ors };
}

function compileOr(value: unknown, path: readonly string[]): PatternNode[] {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
    throw new InvalidEventPatternError('"$or" must be an array of at least two pattern objects', path);
  }
  return value.map((branch, index) => compileNode(branch, [...path, String(index)]));
}

function compileLeaf(
  values: readonly unknown[],
  path: readonly string[],
): Omit<LeafField, 'key' | 'ownOnly'> {
  if (values.length === 0) throw new InvalidEventPatternError('empty arrays are not allowed', path);
  let existsTrue = false;
  let existsFalse = false;
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<boolean | null>();
  const others: ScalarTest[] = [];
  for (const value of values) {
    if (typeof value === 'string') strings.add(value);
    else if (typeof value === 'number') numbers.add(value);
    else if (typeof value === 'boolean' || value === null) literals.add(value);
    else if (isPlainObject(value)) {
      const operator = compileOperator(value, path);
      if (operator === 'exists-true') existsTrue = true;
      else if (operator === 'exists-false') existsFalse = true;
      else others.push(operator);
    } else {
      throw new InvalidEventPatternError(`match values must be strings, numbers, booleans, null or objects, found ${describe(value)}`, path);
    }
  }
  const tests: ScalarTest[] = [];
  if (strings.size === 1) {
    const only = strings.values().next().value as string;
    tests.push((v) => v === only);
  } else if (strings.size > 1) tests.push((v) => typeof v === 'string' && strings.has(v));
  if (numbers.size > 0) tests.push((v) => typeof v === 'number' && numbers.has(v));
  if (literals.size > 0) tests.push((v) => (v === null || typeof v === 'boolean') && literals.has(v));
  tests.push(...others);
  return { existsTrue, existsFalse, test: anyOf(tests) };
}

function anyOf(tests: readonly ScalarTest[]): ScalarTest | undefined {
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests as [ScalarTest, ScalarTest];
    return (v) => a(v) || b(v);
  }
  return (v) => {
    for (const test of tests) if (test(v)) return true;
    return false;
  };
}

type Operator = ScalarTest | 'exists-true' | 'exists-false';

function compileOperator(spec: Record<string, unknown>, path: readonly string[]): Operator {
  const keys = Object.keys(spec);
  if (keys.length !== 1) {
    throw new InvalidEventPatternError(`a match operator object must have exactly one key, found ${keys.length}`, path);
  }
  const name = keys[0] as string;
  const argument = spec[name];
  switch (name) {
    case 'prefix':
      return compileAffix('prefix', argument, path);
    case 'suffix':
      return compileAffix('suffix', argument, path);
    case 'equals-ignore-case': {
      const expected = requireString(name, argument, path).toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase() === expected;
    }
    case 'wildcard': {
      const regex = wildcardRegex(requireString(name, argument, path), path);
      return (v) => typeof v === 'string' && regex.test(v);
    }
    case 'anything-but':
      return compileAnythingBut(argument, path);
    case 'numeric':
      return compileNumeric(argument, path);
    case 'exists':
      if (typeof argument !== 'boolean') {
        throw new InvalidEventPatternError(`"exists" takes true or false, found ${describe(argument)}`, path);
      }
      return argument ? 'exists-true' : 'exists-false';
    case 'cidr':
      return compileCidr(argument, path);
    default:
      throw new InvalidEventPatternError(`unrecognized match type "${name}"`, path);
  }
}

function compileAffix(name: 'prefix' | 'suffix', argument: unknown, path: readonly string[]): ScalarTest {
  if (isPlainObject(argument)) {
    const keys = Object.keys(argument);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      throw new InvalidEventPatternError(`"${name}" takes a string or { "equals-ignore-case": string }`, path);
    }
    const affix = requireString(`${name}.equals-ignore-case`, argument['equals-ignore-case'], path).toLowerCase();
    return name === 'prefix'
      ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(affix)
      : (v) => typeof v === 'string' && v.toLowerCase().endsWith(affix);
  }
  const affix = requireString(name, argument, path);
  return name === 'prefix'
    ? (v) => typeof v === 'string' && v.startsWith(affix)
    : (v) => typeof v === 'string' && v.endsWith(affix);
}

/** Anything-but matches a present value that is not excluded, whatever its type. */
function compileAnythingBut(argument: unknown, path: readonly string[]): ScalarTest {
  if (typeof argument === 'string' || typeof argument === 'number') return (v) => v !== argument;
  if (Array.isArray(argument)) {
    const allStrings = argument.every((value) => typeof value === 'string');
    const allNumbers = argument.every((value) => typeof value === 'number');
    if (argument.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError('"anything-but" list must be a non-empty list of only strings or only numbers', path);
    }
    const excluded = new Set<unknown>(argument);
    return (v) => !excluded.has(v);
  }
  if (isPlainObject(argument)) {
    const keys = Object.keys(argument);
    const name = keys[0];
    if (keys.length !== 1 || (name !== 'prefix' && name !== 'suffix' && name !== 'equals-ignore-case' && name !== 'wildcard')) {
      throw new InvalidEventPatternError(
        '"anything-but" object must have exactly one of "prefix", "suffix", "equals-ignore-case" or "wildcard"',
        path,
      );
    }
    const raw = argument[name];
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw new InvalidEventPatternError(`"anything-but.${name}" list must not be empty`, path);
    const strings = list.map((value) => requireString(`anything-but.${name}`, value, path));
    const excluded = anyOf(strings.map((s) => excludedBy(name, s, path))) as ScalarTest;
    return (v) => typeof v !== 'string' || !excluded(v);
  }
  throw new InvalidEventPatternError(
    `"anything-but" takes a string, a number, a list of strings or numbers, or an object; found ${describe(argument)}`,
    path,
  );
}

function excludedBy(name: 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard', value: string, path: readonly string[]): ScalarTest {
  switch (name) {
    case 'prefix':
      if (value === '') throw new InvalidEventPatternError('"anything-but.prefix" must not be empty', path);
      return (v) => (v as string).startsWith(value);
    case 'suffix':
      if (value === '') throw new InvalidEventPatternError('"anything-but.suffix" must not be empty', path);
      return (v) => (v as string).endsWith(value);
    case 'equals-ignore-case': {
      const lower = value.toLowerCase();
      return (v) => (v as string).toLowerCase() === lower;
    }
    case 'wildcard': {
      const regex = wildcardRegex(value, path);
      return (v) => regex.test(v as string);
    }
  }
}

const LOWER_OPERATORS = new Set(['>', '>=']);
const UPPER_OPERATORS = new Set(['<', '<=']);

function compileNumeric(argument: unknown, path: readonly string[]): ScalarTest {
  if (!Array.isArray(argument) || (argument.length !== 2 && argument.length !== 4)) {
    throw new InvalidEventPatternError('"numeric" takes [operator, number] or [operator, number, operator, number]', path);
  }
  const comparisons: { operator: string; bound: number }[] = [];
  for (let index = 0; index < argument.length; index += 2) {
    const operator: unknown = argument[index];
    const bound: unknown = argument[index + 1];
    if (typeof operator !== 'string' || !(operator === '=' || LOWER_OPERATORS.has(operator) || UPPER_OPERATORS.has(operator))) {
      throw new InvalidEventPatternError(`unrecognized numeric operator ${describe(operator)}`, path);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new InvalidEventPatternError(`value of "numeric" ${operator} must be a number, found ${describe(bound)}`, path);
    }
    comparisons.push({ operator, bound });
  }
  const [first, second] = comparisons as [{ operator: string; bound: number }, { operator: string; bound: number } | undefined];
  if (second === undefined) return numericComparison(first.operator, first.bound);
  if (!LOWER_OPERATORS.has(first.operator) || !UPPER_OPERATORS.has(second.operator)) {
    throw new InvalidEventPatternError('a "numeric" range must be a lower bound (> or >=) followed by an upper bound (< or <=)', path);
  }
  if (first.bound >= second.bound) {
    throw new InvalidEventPatternError('bottom must be less than top in a "numeric" range', path);
  }
  const low = numericComparison(first.operator, first.bound);
  const high = numericComparison(second.operator, second.bound);
  return (v) => low(v) && high(v);
}

function numericComparison(operator: string, bound: number): ScalarTest {
  switch (operator) {
    case '=':
      return (v) => typeof v === 'number' && v === bound;
    case '<':
      return (v) => typeof v === 'number' && v < bound;
    case '<=':
      return (v) => typeof v === 'number' && v <= bound;
    case '>':
      return (v) => typeof v === 'number' && v > bound;
    default:
      return (v) => typeof v === 'number' && v >= bound;
  }
}

function wildcardRegex(pattern: string, path: readonly string[]): RegExp {
  let source = '';
  let previousWasStar = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError('in "wildcard", a backslash may only escape "*" or "\\"', path);
      }
      source += `\\${next}`;
      index += 1;
      previousWasStar = false;
    } else if (char === '*') {
      if (previousWasStar) throw new InvalidEventPatternError('consecutive wildcard characters are not allowed in "wildcard"', path);
      source += '[\\s\\S]*';
      previousWasStar = true;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      previousWasStar = false;
    }
  }
  return new RegExp(`^${source}$`);
}

// ---------------------------------------------------------------------------------------------------------------
// CIDR
// ---------------------------------------------------------------------------------------------------------------

function compileCidr(argument: unknown, path: readonly string[]): ScalarTest {
  const text = requireString('cidr', argument, path);
  const [address, prefixText, ...rest] = text.split('/');
  const v4 = parseIpv4(address ?? '');
  const v6 = v4 === undefined ? parseIpv6(address ?? '') : undefined;
  const width = v4 !== undefined ? 32 : 128;
  const prefixLength = prefixText === undefined ? width : Number(prefixText);
  if (rest.length > 0 || (v4 === undefined && v6 === undefined) || !/^\d*$/.test(prefixText ?? '')
    || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > width) {
    throw new InvalidEventPatternError(`"cidr" value ${JSON.stringify(text)} is not a valid IPv4 or IPv6 CIDR block`, path);
  }
  if (v4 !== undefined) {
    const mask = prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
    const network = (v4 & mask) >>> 0;
    return (v) => {
      if (typeof v !== 'string') return false;
      const ip = parseIpv4(v);
      return ip !== undefined && ((ip & mask) >>> 0) === network;
    };
  }
  const network = v6 as number[];
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIpv6(v);
    return ip !== undefined && sameIpv6Prefix(ip, network, prefixLength);
  };
}

function sameIpv6Prefix(a: readonly number[], b: readonly number[], bits: number): boolean {
  for (let group = 0; group < 8 && bits > 0; group += 1, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((a[group] as number) & mask) !== ((b[group] as number) & mask)) return false;
  }
  return true;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): number | undefined {
  const match = IPV4.exec(text);
  if (match === null) return undefined;
  let value = 0;
  for (let index = 1; index <= 4; index += 1) {
    const octet = Number(match[index]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index += 1) {
      const piece = pieces[index] as string;
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

// ---------------------------------------------------------------------------------------------------------------

function requireString(name: string, value: unknown, path: readonly string[]): string {
  if (typeof value !== 'string') throw new InvalidEventPatternError(`"${name}" takes a string, found ${describe(value)}`, path);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `${typeof value} ${JSON.stringify(value)}`;
}
