import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cachingExpressionParse, type ExpressionParse, type ExpressionParseContext, type ExpressionParserModule } from './dynalite-expression-cache';

const requireCjs = createRequire(import.meta.url);
const parserModule = (name: string): ExpressionParserModule => requireCjs(`dynalite/db/${name}`) as ExpressionParserModule;
const db = requireCjs('dynalite/db') as { compare: unknown };
// dynalite's validation module keeps its reserved-word check private; any function of that shape serves both sides.
const RESERVED = new Set(['NAME', 'STATUS', 'VALUE', 'SIZE']);
const isReserved = (name: string): boolean => RESERVED.has(name.toUpperCase());

interface Case {
  parser: 'conditionParser' | 'updateParser' | 'projectionParser';
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  keyCondition?: boolean;
}

/** What the services send, and what dynalite answers with an error: undefined placeholders, syntax, bounds, types. */
const CASES: Case[] = [
  { parser: 'conditionParser', expression: 'attribute_not_exists(#n)', names: { '#n': 'Name' } },
  { parser: 'conditionParser', expression: '#v = :expected', names: { '#v': 'Version' }, values: { ':expected': { N: '3' } } },
  { parser: 'conditionParser', expression: '#v = :expected', names: { '#v': 'Version' }, values: { ':expected': { N: '4' } } },
  { parser: 'conditionParser', expression: 'attribute_exists(#n) AND attribute_not_exists(#r)', names: { '#n': 'Name', '#r': 'ReadingOffsets' } },
  { parser: 'conditionParser', expression: 'attribute_exists(#r) AND (attribute_not_exists(#e) OR #e <> #v)', names: { '#r': 'ReadingOffsets', '#e': 'EmittedVersion', '#v': 'Version' } },
  {
    parser: 'conditionParser', keyCondition: true, expression: '#n = :name AND #t BETWEEN :from AND :to',
    names: { '#n': 'Name', '#t': 'StatusTime' }, values: { ':name': { S: 'Bucephalus' }, ':from': { S: '2026-12-03 08:00' }, ':to': { S: '2026-12-03 08:30' } },
  },
  {
    parser: 'conditionParser', keyCondition: true, expression: '#n = :name AND #t BETWEEN :from AND :to',
    names: { '#n': 'Name', '#t': 'StatusTime' }, values: { ':name': { S: 'Shadowfax' }, ':from': { S: '2026-12-03 09:00' }, ':to': { S: '2026-12-03 08:30' } },
  },
  { parser: 'conditionParser', expression: 'attribute_type(#n, :t)', names: { '#n': 'Name' }, values: { ':t': { S: 'S' } } },
  { parser: 'conditionParser', expression: 'attribute_type(#n, :t)', names: { '#n': 'Name' }, values: { ':t': { S: 'X' } } },
  { parser: 'conditionParser', expression: 'size(#n) > :n', names: { '#n': 'Name' }, values: { ':n': { N: '2' } } },
  { parser: 'conditionParser', expression: '#missing = :v', names: { '#n': 'Name' }, values: { ':v': { N: '1' } } },
  { parser: 'conditionParser', expression: '#n = :missing', names: { '#n': 'Name' }, values: { ':v': { N: '1' } } },
  { parser: 'conditionParser', expression: 'Name = :v', values: { ':v': { S: 'reserved' } } },
  { parser: 'conditionParser', expression: 'attribute_not_exists(#n', names: { '#n': 'Name' } },
  { parser: 'conditionParser', expression: 'begins_with(#n, :b)', names: { '#n': 'Name' }, values: { ':b': { B: 'AAEC' } } },
  { parser: 'updateParser', expression: 'SET #e = :v', names: { '#e': 'EmittedVersion' }, values: { ':v': { N: '7' } } },
  { parser: 'updateParser', expression: 'SET #e = :v REMOVE #x', names: { '#e': 'EmittedVersion', '#x': 'Extra' }, values: { ':v': { N: '7' } } },
  { parser: 'updateParser', expression: 'SET #e = :v, #e = :w', names: { '#e': 'EmittedVersion' }, values: { ':v': { N: '7' }, ':w': { N: '8' } } },
  { parser: 'projectionParser', expression: '#n, StatusTime, #r[0]', names: { '#n': 'Name', '#r': 'Readings' } },
];

/** A fresh context as dynalite's validation builds it for one request, with an extra unused placeholder. */
function contextFor(c: Case): ExpressionParseContext {
  const attrNames = c.names === undefined ? undefined : { ...c.names, '#spare': 'Spare' };
  const attrVals = c.values === undefined ? undefined : { ...structuredClone(c.values), ':spare': { S: 'x' } };
  return {
    attrNames, attrVals, isReserved, compare: db.compare,
    unusedAttrNames: Object.fromEntries(Object.keys(attrNames ?? {}).map((k) => [k, true])),
    unusedAttrVals: Object.fromEntries(Object.keys(attrVals ?? {}).map((k) => [k, true])),
    ...(c.keyCondition ? { isKeyCondition: true } : {}),
  };
}

/** The answer of one parse: the tree or message, or the thrown error's name and message; and the sets left. */
function outcome(parse: ExpressionParse, c: Case): unknown {
  const context = contextFor(c);
  let answer: unknown;
  try {
    answer = { returned: parse(c.expression, { context }) };
  } catch (error) {
    answer = { threw: [(error as Error).name, (error as Error).message] };
  }
  return { answer, unusedNames: context.unusedAttrNames, unusedValues: context.unusedAttrVals };
}

describe('dynalite expression cache', () => {
  for (const parser of ['conditionParser', 'updateParser', 'projectionParser'] as const) {
    it(`answers as dynalite's ${parser} does, first time and cached, over valid and invalid expressions`, () => {
      const original = parserModule(parser).parse.bind(parserModule(parser));
      let parsed = 0;
      const cached = cachingExpressionParse((input, options) => {
        parsed += 1;
        return original(input, options);
      });
      const cases = CASES.filter((c) => c.parser === parser);
      expect(cases.length).toBeGreaterThan(0);
      // Twice over, in order and reversed, so each case is met both as a miss and as a hit after another case.
      for (const c of [...cases, ...cases.toReversed(), ...cases]) {
        expect(outcome(cached, c), c.expression).toEqual(outcome(original, c));
      }
      // Every valid case is parsed once; only the errors go to the parser each time.
      expect(parsed).toBeLessThan(cases.length * 3);
    });
  }

  it('a hit is a copy: changing a returned tree changes nothing later', () => {
    const original = parserModule('conditionParser').parse.bind(parserModule('conditionParser'));
    const cached = cachingExpressionParse(original);
    const c = CASES[1]!;
    const first = cached(c.expression, { context: contextFor(c) }) as { expression: { args: unknown[] } };
    first.expression.args.length = 0;
    const second = cached(c.expression, { context: contextFor(c) });
    expect(second).toEqual(original(c.expression, { context: contextFor(c) }));
  });

  it('keys by the placeholders\' values: another version is another tree', () => {
    const original = parserModule('conditionParser').parse.bind(parserModule('conditionParser'));
    const cached = cachingExpressionParse(original);
    const three = cached(CASES[1]!.expression, { context: contextFor(CASES[1]!) });
    const four = cached(CASES[2]!.expression, { context: contextFor(CASES[2]!) });
    expect(JSON.stringify(three)).toContain('"3"');
    expect(JSON.stringify(four)).toContain('"4"');
  });

  it('keeps Buffers as Buffers in cached trees', () => {
    let calls = 0;
    const tree = { type: '=', args: [['Data'], { B: Buffer.from([1, 2, 3]) }] };
    const cached = cachingExpressionParse(() => {
      calls += 1;
      return tree;
    });
    const context = (): ExpressionParseContext => ({ attrNames: {}, attrVals: {}, unusedAttrNames: {}, unusedAttrVals: {} });
    cached('Data = :b', { context: context() });
    const hit = cached('Data = :b', { context: context() }) as typeof tree;
    expect(calls).toBe(1);
    expect(Buffer.isBuffer((hit.args[1] as { B: unknown }).B)).toBe(true);
    expect(hit).toEqual(tree);
  });
});
