import type { QueryResult, QueryValue } from '@wildrydes/domain';

export type OutputFormat = 'table' | 'csv' | 'json';

export function formatResult(result: Pick<QueryResult, 'columns' | 'rows'>, format: OutputFormat): string {
  if (format === 'csv') return formatCsv(result);
  if (format === 'json') return `${JSON.stringify(result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i] ?? null]))), null, 2)}\n`;
  return formatTable(result);
}

/** Columns padded to their widest cell, numbers right-aligned, NULL as an empty cell, a dashed rule under the header. */
export function formatTable({ columns, rows }: Pick<QueryResult, 'columns' | 'rows'>): string {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i] ?? null)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || row[i] === null));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (values: readonly string[], alignRight: readonly boolean[]): string =>
    values
      .map((value, i) => (alignRight[i] ? value.padStart(widths[i] as number) : value.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(columns, numeric), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((row) => line(row, numeric))].join('\n') + '\n';
}

/** RFC 4180: a header row, CRLF-free (\n) lines, fields quoted when they hold a comma, quote or newline. */
export function formatCsv({ columns, rows }: Pick<QueryResult, 'columns' | 'rows'>): string {
  const field = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [columns.map(field).join(','), ...rows.map((row) => columns.map((_, i) => field(cellText(row[i] ?? null))).join(','))].join('\n') + '\n';
}

const cellText = (value: QueryValue): string => (value === null ? '' : String(value));

/** Bytes as the Athena console shows them: `19.81 KB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(2)} ${units[unit]}`;
}
