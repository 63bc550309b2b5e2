const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s`, `5m`, `1h`, `250ms`, `1.5m`; a bare number is seconds. Returns milliseconds, or undefined if unreadable. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] ?? 's'] as number);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}
