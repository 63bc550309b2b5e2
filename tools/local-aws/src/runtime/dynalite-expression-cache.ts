/**
 * dynalite's expression parsers behind a cache, with the same results.
 *
 * dynalite parses every request's ConditionExpression, KeyConditionExpression, FilterExpression, UpdateExpression
 * and ProjectionExpression with PEG parsers. The services send a handful of distinct expressions, each thousands of
 * times, yet profiled under `npm start` with 4,000 unicorns arriving at once the parsing took 17 % of the emulator
 * host's CPU: more than LevelDB. A parse depends only on the expression, on whether it is a key condition, and on
 * the names and values its `#name` and `:value` placeholders resolve to; it has one side effect, deleting the
 * placeholders it used from the request's "unused" sets (dynalite then rejects placeholders no expression used).
 * So a parse is cached under exactly those inputs, its used placeholders are recorded, and a hit replays the
 * deletions and returns a copy of the tree. Error answers (a message string) and syntax errors (thrown) are never
 * cached: they go to the original every time. `dynalite-expression-cache.test.ts` checks the equivalence.
 */

/** The context dynalite's validation passes to its parsers (only the fields the cache reads or writes). */
export interface ExpressionParseContext {
  attrNames?: Record<string, unknown> | null;
  attrVals?: Record<string, unknown> | null;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  isKeyCondition?: boolean;
  [other: string]: unknown;
}

export type ExpressionParse = (input: string, options?: { context?: ExpressionParseContext }) => unknown;

/** One of dynalite's generated parser modules (`dynalite/db/conditionParser` and its siblings). */
export interface ExpressionParserModule {
  parse: ExpressionParse;
}

interface CachedParse {
  tree: unknown;
  usedNames: readonly string[];
  usedValues: readonly string[];
}

/** Placeholders as dynalite's grammar spells them: `#` or `:` and then letters, digits and underscores. */
const PLACEHOLDER = /[#:][0-9A-Za-z_]+/g;

/** A deep copy that keeps Buffers Buffers (structuredClone would turn them into plain Uint8Arrays). */
function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyTree);
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = copyTree(field);
    return copy;
  }
  return value;
}

/** Wraps one parser's `parse`; at most `maxEntries` trees are kept (the cache starts afresh past that). */
export function cachingExpressionParse(original: ExpressionParse, maxEntries = 2_000): ExpressionParse {
  const cache = new Map<string, CachedParse>();
  return (input, options) => {
    const context = options?.context;
    if (typeof input !== 'string' || context === undefined) return original(input, options);
    const placeholders = [...new Set(input.match(PLACEHOLDER) ?? [])];
    const names = placeholders.filter((token) => token.startsWith('#'));
    const values = placeholders.filter((token) => token.startsWith(':'));
    const key = JSON.stringify([
      input, context.isKeyCondition === true,
      names.map((name) => context.attrNames?.[name] ?? null),
      values.map((value) => context.attrVals?.[value] ?? null),
    ]);
    let cached = cache.get(key);
    if (cached === undefined) {
      // Parsed against fresh "unused" sets holding every placeholder, so what it used is what it deleted.
      const probe: ExpressionParseContext = {
        ...context,
        unusedAttrNames: Object.fromEntries(names.map((name) => [name, true])),
        unusedAttrVals: Object.fromEntries(values.map((value) => [value, true])),
      };
      let tree: unknown;
      try {
        tree = original(input, { ...options, context: probe });
      } catch {
        // A syntax error: answered by the original against the request's own context, side effects and all.
        return original(input, options);
      }
      const usedNames = names.filter((name) => probe.unusedAttrNames?.[name] === undefined);
      const usedValues = values.filter((value) => probe.unusedAttrVals?.[value] === undefined);
      forgetUsed(context, usedNames, usedValues);
      if (tree === null || typeof tree !== 'object') return tree;
      if (cache.size >= maxEntries) cache.clear();
      cached = { tree: copyTree(tree), usedNames, usedValues };
      cache.set(key, cached);
      return tree;
    }
    forgetUsed(context, cached.usedNames, cached.usedValues);
    return copyTree(cached.tree);
  };
}

function forgetUsed(context: ExpressionParseContext, names: readonly string[], values: readonly string[]): void {
  for (const name of names) if (context.unusedAttrNames) delete context.unusedAttrNames[name];
  for (const value of values) if (context.unusedAttrVals) delete context.unusedAttrVals[value];
}

/** Puts the cache in front of each parser module's `parse` (dynalite's validation calls `parser.parse` each time). */
export function installExpressionCache(parsers: readonly ExpressionParserModule[]): void {
  for (const parser of parsers) parser.parse = cachingExpressionParse(parser.parse.bind(parser));
}
