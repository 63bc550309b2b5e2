import { describe, expect, it } from 'vitest';
import { windowEndsBetween } from './cost-runs';

describe('windowEndsBetween', () => {
  it('counts the 15-minute boundaries (epoch-aligned) a run lived through', () => {
    const quarter = Date.UTC(2026, 11, 3, 12, 0);
    expect(windowEndsBetween(quarter - 420_000, quarter - 1)).toBe(0);
    expect(windowEndsBetween(quarter - 60_000, quarter + 360_000)).toBe(1);
    expect(windowEndsBetween(quarter - 60_000, quarter + 900_000)).toBe(2);
    expect(windowEndsBetween(quarter + 10, quarter)).toBe(0);
  });
});
