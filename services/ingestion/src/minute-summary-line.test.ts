import { describe, expect, it } from 'vitest';
import { validateMinuteSummaryLine, type SummaryRejectionCode } from './minute-summary-line';

const good = { Name: 'Shadowfax', StatusTime: '2016-02-12 00:00:00.000', Distance: 1317, MinMagicPoints: 140, MaxMagicPoints: 150, MinHealthPoints: 150, MaxHealthPoints: 160 };
const line = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, ...patch });

describe('validateMinuteSummaryLine', () => {
  it("accepts the workshop file's shape, extra fields ignored, StatusTime kept as given", () => {
    expect(validateMinuteSummaryLine(line({ Extra: true }), 7)).toEqual(good);
    expect(validateMinuteSummaryLine(line({ StatusTime: '2016-02-12T00:00:00.000Z', Distance: 1317.5 }), 1)).toMatchObject({ StatusTime: '2016-02-12T00:00:00.000Z', Distance: 1317.5 });
    expect(validateMinuteSummaryLine(line({ MinMagicPoints: 150 }), 1)).toMatchObject({ MinMagicPoints: 150, MaxMagicPoints: 150 });
  });

  it.each<[string, string, SummaryRejectionCode]>([
    ['not JSON', '{', 'NOT_A_SUMMARY'],
    ['an array', '[1]', 'NOT_A_SUMMARY'],
    ['a reading', JSON.stringify({ Name: 'a', StatusTime: '2016-02-12 00:00:00.000', MagicPoints: 1 }), 'NOT_A_SUMMARY'],
    ['a missing field', line({ MaxHealthPoints: undefined }), 'SUMMARY_MISSING_FIELD'],
    ['a numeric Name', line({ Name: 7 }), 'SUMMARY_WRONG_TYPE'],
    ['an empty Name', line({ Name: ' ' }), 'SUMMARY_EMPTY_NAME'],
    ['a long Name', line({ Name: 'x'.repeat(65) }), 'SUMMARY_NAME_TOO_LONG'],
    ['an epoch StatusTime', line({ StatusTime: 1455235200000 }), 'SUMMARY_WRONG_TYPE'],
    ['an impossible StatusTime', line({ StatusTime: '2016-02-30 00:00:00.000' }), 'SUMMARY_INVALID_TIMESTAMP'],
    ['a string Distance', line({ Distance: '1317' }), 'SUMMARY_WRONG_TYPE'],
    ['a negative Distance', line({ Distance: -1 }), 'SUMMARY_NEGATIVE_DISTANCE'],
    ['fractional points', line({ MinHealthPoints: 150.5 }), 'SUMMARY_NON_INTEGER_POINTS'],
    ['min above max (magic)', line({ MinMagicPoints: 151 }), 'SUMMARY_MIN_ABOVE_MAX'],
    ['min above max (health)', line({ MaxHealthPoints: 149 }), 'SUMMARY_MIN_ABOVE_MAX'],
  ])('rejects %s', (_, text, code) => {
    expect(validateMinuteSummaryLine(text, 3)).toMatchObject({ code, line: 3, raw: text });
  });
});
