/**
 * Which `dt` partitions a query can touch, read from its SQL text. The local engine uses this to report
 * `bytesScanned` the way Athena would (Athena only reads the partitions its filters leave).
 *
 * Deliberately conservative: it narrows only when it can see that a `dt` comparison with a string literal is a
 * top-level conjunct of the only SELECT's WHERE clause (`WHERE dt >= '2026-11-01' AND (a OR b)`). Anything it does
 * not understand (OR around the filter, NOT, function calls, subqueries, joins, `hour` filters, DATE literals)
 * leaves the whole table counted: it may over-report bytes, never under-report them.
 */

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly depth: number }
  | { readonly kind: 'string'; readonly text: string; readonly depth: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly depth: number };

export type PartitionPredicate = (dt: string) => boolean;

const matchAll: PartitionPredicate = () => true;
const isWord = (t: Token | undefined, text: string): boolean => t?.kind === 'word' && t.text === text;
const isSymbol = (t: Token | undefined, text: string): boolean => t?.kind === 'symbol' && t.text === text;
const CLAUSE_ENDS = new Set(['group', 'order', 'limit', 'having', 'window', 'qualify', 'offset', 'fetch', 'union', 'intersect', 'except']);
const COMPARISONS: Record<string, (a: string, b: string) => boolean> = {
  '=': (a, b) => a === b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

/** Tables of `tableNames` the SQL mentions as words (outside string literals and comments). */
export function tablesReferenced(sql: string, tableNames: readonly string[]): string[] {
  const words = new Set(tokenize(sql).filter((t) => t.kind === 'word').map((t) => t.text));
  return tableNames.filter((name) => words.has(name));
}

/** A predicate over `dt` values that every row the query can read satisfies; `() => true` when unsure. */
export function dtPartitionPredicate(sql: string, table: string): PartitionPredicate {
  const tokens = tokenize(sql);
  const words = tokens.filter((t) => t.kind === 'word');
  if (words.filter((t) => t.text === 'select').length !== 1) return matchAll;
  if (words.filter((t) => t.text === table).length !== 1) return matchAll;
  if (words.some((t) => t.text === 'join' || t.text === 'with' || t.text === 'union')) return matchAll;

  const where = tokens.findIndex((t) => isWord(t, 'where') && t.depth === 0);
  if (where < 0) return matchAll;
  let end = tokens.length;
  for (let i = where + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.depth === 0 && ((t.kind === 'word' && CLAUSE_ENDS.has(t.text)) || isSymbol(t, ';'))) {
      end = i;
      break;
    }
  }
  const clause = tokens.slice(where, end);
  const orDepths = clause.filter((t) => isWord(t, 'or')).map((t) => t.depth);

  const predicates: PartitionPredicate[] = [];
  for (let i = 1; i < clause.length; i++) {
    const found = dtComparisonAt(clause, i);
    if (!found) continue;
    const depth = clause[i]!.depth;
    if (orDepths.some((d) => d <= depth)) continue;
    if (!isConjunct(clause, i, found.end)) continue;
    predicates.push(found.predicate);
  }
  return predicates.length === 0 ? matchAll : (dt) => predicates.every((p) => p(dt));
}

/** `[qualifier.]dt <op> 'x'`, `dt BETWEEN 'a' AND 'b'` or `dt IN ('a', ...)` starting at `start`. */
function dtComparisonAt(tokens: readonly Token[], start: number): { predicate: PartitionPredicate; end: number } | undefined {
  let i = start;
  const at = (k: number) => tokens[k];
  if (at(i)?.kind === 'word' && isSymbol(at(i + 1), '.') && at(i + 2)?.kind === 'word') {
    // A qualifier belongs to the comparison only if this is where the expression starts.
    i += 2;
  }
  const column = at(i);
  if (column?.kind !== 'word' || column.text !== 'dt') return undefined;
  if (isSymbol(at(start - 1), '.')) return undefined;
  const op = at(i + 1);
  if (op?.kind === 'symbol' && COMPARISONS[op.text] && at(i + 2)?.kind === 'string') {
    const compare = COMPARISONS[op.text]!;
    const literal = at(i + 2)!.text;
    return { predicate: (dt) => compare(dt, literal), end: i + 2 };
  }
  if (isWord(op, 'between') && at(i + 2)?.kind === 'string' && isWord(at(i + 3), 'and') && at(i + 4)?.kind === 'string') {
    const low = at(i + 2)!.text;
    const high = at(i + 4)!.text;
    return { predicate: (dt) => dt >= low && dt <= high, end: i + 4 };
  }
  if (isWord(op, 'in') && isSymbol(at(i + 2), '(')) {
    const values: string[] = [];
    let k = i + 3;
    for (;;) {
      const value = at(k);
      if (value?.kind !== 'string') return undefined;
      values.push(value.text);
      if (isSymbol(at(k + 1), ',')) k += 2;
      else if (isSymbol(at(k + 1), ')')) return { predicate: (dt) => values.includes(dt), end: k + 1 };
      else return undefined;
    }
  }
  return undefined;
}

/** True when tokens[start..end] is joined to the rest of the WHERE clause only by AND, through grouping parentheses. */
function isConjunct(tokens: readonly Token[], start: number, end: number): boolean {
  const before = tokens[start - 1];
  const after = tokens[end + 1];
  const afterOk = after === undefined || isWord(after, 'and') || isSymbol(after, ')');
  if (!afterOk) return false;
  if (isWord(before, 'where') || isWord(before, 'and')) return true;
  if (!isSymbol(before, '(')) return false;
  // The parenthesis must be grouping (not a call like `coalesce(`) and its group must itself be a conjunct.
  const close = matchingClose(tokens, start - 1);
  return close !== undefined && isConjunct(tokens, start - 1, close);
}

function matchingClose(tokens: readonly Token[], open: number): number | undefined {
  const depth = tokens[open]!.depth;
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isSymbol(t, ')') && t.depth === depth) return i;
  }
  return undefined;
}

/** Enough of a SQL lexer to tell words, string literals and parentheses apart; `depth` is the paren nesting. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'" || c === '"') {
      let text = '';
      let k = i + 1;
      while (k < sql.length) {
        if (sql[k] === c && sql[k + 1] === c) {
          text += c;
          k += 2;
        } else if (sql[k] === c) {
          break;
        } else {
          text += sql[k];
          k++;
        }
      }
      // A quoted identifier is still a word: `"dt"` and `dt` name the same column.
      tokens.push(c === "'" ? { kind: 'string', text, depth } : { kind: 'word', text: text.toLowerCase(), depth });
      i = k + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'word', text: word.toLowerCase(), depth });
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9.eE]+/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'symbol', text: number, depth });
      i += number.length;
    } else {
      const two = sql.slice(i, i + 2);
      const text = ['>=', '<=', '<>', '!=', '||', '::'].includes(two) ? two : c;
      if (text === ')') depth--;
      tokens.push({ kind: 'symbol', text, depth });
      if (text === '(') depth++;
      i += text.length;
    }
  }
  return tokens;
}
