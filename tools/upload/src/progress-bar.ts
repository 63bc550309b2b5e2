const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `[##########··········]  50%  1.2 MiB / 2.4 MiB`, always the same width for a given total. */
export function formatProgress(sent: number, total: number, width = 30): string {
  const fraction = total === 0 ? 1 : Math.min(1, sent / total);
  const filled = Math.round(fraction * width);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${percent}  ${formatBytes(sent)} / ${formatBytes(total)}`;
}
