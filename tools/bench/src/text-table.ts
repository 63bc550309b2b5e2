/** Plain tables for the console and for Markdown; a cell that looks like a number is right-aligned. */

const NUMERIC = /^[-+]?[\d,.]+( ?[%a-zA-Z/]+)?$|^[-+]?[\d,.]+ \/ [\d,.]+$/;

function alignments(headers: readonly string[], rows: readonly (readonly string[])[]): boolean[] {
  return headers.map((_, i) => rows.length > 0 && rows.every((row) => NUMERIC.test(row[i] ?? '') || (row[i] ?? '') === '–'));
}

/** Columns padded to their widest cell, two spaces apart, a dashed rule under the header. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const right = alignments(headers, rows);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (right[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => line(headers.map((_, i) => row[i] ?? '')))].join('\n');
}

/** A GitHub-flavoured Markdown table; `|` in a cell is escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const right = alignments(headers, rows);
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  return [line(headers), `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`, ...rows.map((row) => line(headers.map((_, i) => row[i] ?? '')))].join('\n');
}
