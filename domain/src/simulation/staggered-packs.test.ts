import { describe, expect, it } from 'vitest';
import { staggeredFirstPackSize } from './staggered-packs';

describe('staggeredFirstPackSize', () => {
  it('gives every name a first pack of 1 to K readings, the same each time, spread evenly over a fleet', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `Unicorn-${i}`);
    const sizes = names.map((name) => staggeredFirstPackSize(name, 25));
    const counts = Array.from({ length: 25 }, (_, i) => sizes.filter((size) => size === i + 1).length);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(25);
    expect(Math.min(...counts)).toBeGreaterThan(300);
    expect(Math.max(...counts)).toBeLessThan(500);
    expect(names.map((name) => staggeredFirstPackSize(name, 25))).toEqual(sizes);
  });

  it('packs one reading per record unpacked', () => {
    expect(staggeredFirstPackSize('Shadowfax', 1)).toBe(1);
  });
});
