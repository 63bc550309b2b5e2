const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const DELIMITERS = new Set([' ', '\t', '\n', '\r', ',', ':', ']', '}']);

/**
 * Re-lays out JSON text the way Go's `json.Indent` (indent `'    '`, the workshop consumer's) or `json.Compact`
 * (indent `''`) does: tokens are copied as they are, so numbers keep their digits and keys their order, and `{}` /
 * `[]` stay on one line. The text must already be known to be valid JSON.
 */
export function layoutJson(text: string, indent: string): string {
  let out = '';
  let depth = 0;
  const newline = (): string => (indent === '' ? '' : `\n${indent.repeat(depth)}`);
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (j < text.length && WHITESPACE.has(text[j] as string)) j++;
      const close = c === '{' ? '}' : ']';
      if (text[j] === close) {
        out += c + close;
        i = j + 1;
      } else {
        depth++;
        out += c + newline();
        i++;
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
      i++;
    } else if (c === ',') {
      out += `,${newline()}`;
      i++;
    } else if (c === ':') {
      out += indent === '' ? ':' : ': ';
      i++;
    } else {
      let j = i;
      while (j < text.length && !DELIMITERS.has(text[j] as string)) j++;
      out += text.slice(i, j);
      i = j;
    }
  }
  return out;
}

export type RecordPart = { readonly json: string } | { readonly raw: string; readonly line: number; readonly problem: string };

/**
 * Splits one record's text into what to print: the whole text when it is one JSON value (even spread over lines),
 * otherwise each non-blank line, JSON or not (NDJSON packs, poison records).
 */
export function splitRecord(text: string): RecordPart[] {
  if (tryParse(text) === undefined) return [{ json: text }];
  const parts: RecordPart[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const problem = tryParse(line);
    parts.push(problem === undefined ? { json: line } : { raw: line, line: index + 1, problem });
  });
  return parts;
}

/** undefined when the text is JSON, else the parser's complaint. */
function tryParse(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return text.trim() === '' ? 'empty record' : (error as Error).message;
  }
}
