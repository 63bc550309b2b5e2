import { describe, expect, it } from 'vitest';
import { isGoneState } from './data-dir-lock';

describe('isGoneState', () => {
  it('reads the state after the command name, whatever the name holds', () => {
    expect(isGoneState('16947 (node) Z 1 16940 16940 0 -1 4228356 0 0')).toBe(true);
    expect(isGoneState('16948 (node) X 1 16940 16940 0 -1 4228356 0 0')).toBe(true);
    expect(isGoneState('16949 (node) S 16940 16940 16940 0 -1 4194560 2040 0')).toBe(false);
    expect(isGoneState('16950 (a (Z) b) R 1 2 3')).toBe(false);
    expect(isGoneState('16951 (a (R) b) Z 1 2 3')).toBe(true);
  });
});
