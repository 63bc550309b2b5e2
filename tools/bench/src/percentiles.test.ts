import { describe, expect, it } from 'vitest';
import { percentile } from './percentiles';

describe('percentile (nearest rank)', () => {
  it.each([
    [[5], 50, 5],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => i + 1), 100, 100],
    [Array.from({ length: 1000 }, (_, i) => 1000 - i), 99, 990],
  ])('of %j at p%i is %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is undefined for no values', () => {
    expect(percentile([], 99)).toBeUndefined();
  });

  it('never reorders its input', () => {
    // Prepare
    const values = [3, 1, 2];

    // Act
    percentile(values, 50);

    // Assess
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([0, -1, 101, Number.NaN])('refuses p = %d', (p) => {
    expect(() => percentile([1], p)).toThrow(RangeError);
  });
});
