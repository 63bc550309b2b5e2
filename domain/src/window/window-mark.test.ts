import { describe, expect, it } from 'vitest';
import { windowMarkOf } from './window-mark';

describe('windowMarkOf', () => {
  it('marks emitted when asked, reopens when asked, and otherwise keeps the mark', () => {
    expect(windowMarkOf({ markEmitted: true })).toBe('emitted');
    expect(windowMarkOf({ reopen: true })).toBe('pending');
    expect(windowMarkOf({})).toBe('keep');
  });
});
