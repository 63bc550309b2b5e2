import { describe, expect, it } from 'vitest';
import { markdownTable, textTable } from './text-table';

describe('textTable', () => {
  it('pads columns, right-aligns numbers and rules the header', () => {
    expect(textTable(['mode', 'N', 'goal'], [['unpacked', '1,000', 'PASS'], ['packed ×25', '100,000', 'FAIL: 3 readings lost']])).toBe([
      'mode              N  goal',
      '----------  -------  ---------------------',
      'unpacked      1,000  PASS',
      'packed ×25  100,000  FAIL: 3 readings lost',
    ].join('\n'));
  });
});

describe('markdownTable', () => {
  it('aligns number columns right and escapes pipes', () => {
    expect(markdownTable(['metric', 'value'], [['a|b', '0.5'], ['c', '–']])).toBe(['| metric | value |', '|---|---:|', '| a\\|b | 0.5 |', '| c | – |'].join('\n'));
  });
});
