import { describe, expect, it } from 'vitest';
import { formatBytes, formatProgress } from './progress-bar';

describe('the upload progress bar', () => {
  it.each([
    [0, 2048, '[······························]   0%  0 B / 2.0 KiB'],
    [1024, 2048, '[###############···············]  50%  1.0 KiB / 2.0 KiB'],
    [2048, 2048, '[##############################] 100%  2.0 KiB / 2.0 KiB'],
    [0, 0, '[##############################] 100%  0 B / 0 B'],
  ])('%i of %i bytes reads %j', (sent, total, expected) => {
    expect(formatProgress(sent, total)).toBe(expected);
  });

  it('keeps its width as it fills, so a redraw in place leaves nothing behind', () => {
    const widths = [0, 1, 333, 999, 1000].map((sent) => formatProgress(sent, 1000).indexOf(']'));
    expect(new Set(widths).size).toBe(1);
  });

  it.each([[512, '512 B'], [1536, '1.5 KiB'], [5 * 1024 * 1024, '5.0 MiB'], [3 * 1024 ** 3, '3.0 GiB']])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
