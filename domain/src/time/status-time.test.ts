import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { floorToMinute, formatStatusTime, formatUtcDate, formatUtcHour, parseStatusTime } from './status-time';

describe('parseStatusTime', () => {
  it.each([
    ['2016-02-12 00:00:00.000', Date.UTC(2016, 1, 12)],
    ['2026-11-22 10:15:03.120', Date.UTC(2026, 10, 22, 10, 15, 3, 120)],
    ['2026-11-22 10:15:03', Date.UTC(2026, 10, 22, 10, 15, 3)],
    ['2026-11-22 10:15:03.1', Date.UTC(2026, 10, 22, 10, 15, 3, 100)],
    ['2026-11-22 10:15:03.123456789', Date.UTC(2026, 10, 22, 10, 15, 3, 123)],
    ['2024-02-29 23:59:59.999', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2026-11-22T10:15:03.120Z', Date.UTC(2026, 10, 22, 10, 15, 3, 120)],
    ['2026-11-22T10:15:03Z', Date.UTC(2026, 10, 22, 10, 15, 3)],
    ['2026-11-22T12:15:03.120+02:00', Date.UTC(2026, 10, 22, 10, 15, 3, 120)],
    ['2026-11-22T05:15:03.120-05:00', Date.UTC(2026, 10, 22, 10, 15, 3, 120)],
  ])('reads %s as UTC', (text, expected) => {
    expect(parseStatusTime(text)).toBe(expected);
  });

  it.each([
    '', 'yesterday', '2026-11-22', '2026-11-22T10:15:03.120', '2026-11-22 10:15:03.120Z', '2026-13-01 00:00:00.000',
    '2026-02-29 00:00:00.000', '2100-02-29 00:00:00.000', '2026-04-31 00:00:00.000', '2026-11-22 24:00:00.000', '2026-11-22 10:60:00.000',
    '2026-11-22 10:15:60.000', '2026-11-22 10:15:03.', '2026-11-22 10:15:03.1234567890', '2026/11/22 10:15:03.000',
    '2026-11-22T10:15:03+0200', '2026-11-22T10:15:03+25:00', 'abcd-ef-gh ij:kl:mn.opq', '2026-11-22 10:15:03.12a',
    '2026-11-22T10:15:03Zjunk', '2026-00-10 00:00:00.000', '2026-11-00 00:00:00.000',
  ])('refuses %j', (text) => {
    expect(parseStatusTime(text)).toBeNaN();
  });

  it('round-trips every millisecond timestamp through the workshop format', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2199, 11, 31) }), (t) => {
      expect(parseStatusTime(formatStatusTime(t))).toBe(t);
    }));
  });
});

describe('formatting and minutes', () => {
  it('formats like the workshop', () => {
    expect(formatStatusTime(Date.UTC(2017, 4, 6, 17, 47, 0, 5))).toBe('2017-05-06 17:47:00.005');
    expect(formatUtcDate(Date.UTC(2017, 4, 6, 17, 47))).toBe('2017-05-06');
    expect(formatUtcHour(Date.UTC(2017, 4, 6, 7, 47))).toBe('07');
  });

  it('formats any time as its Date fields say, whichever minute it formatted before', () => {
    const pad = (n: number, width: number): string => String(n).padStart(width, '0');
    const viaDate = (t: number): string => {
      const d = new Date(t);
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
    };
    const near = (t: number) => fc.integer({ min: -120_000, max: 120_000 }).map((offset) => t + offset);
    const times = fc.oneof(
      fc.integer({ min: -Date.UTC(1900, 0, 1), max: Date.UTC(2199, 11, 31) }),
      fc.double({ min: -1e12, max: 4e12, noNaN: true }),
      near(Date.UTC(2026, 11, 31, 23, 59)),
    );
    fc.assert(fc.property(fc.array(times, { minLength: 1, maxLength: 20 }), (ts) => {
      for (const t of ts) expect(formatStatusTime(t)).toBe(viaDate(t));
    }));
  });

  it.each([
    [Date.UTC(2026, 0, 1, 0, 0, 59, 999), Date.UTC(2026, 0, 1, 0, 0)],
    [Date.UTC(2026, 0, 1, 0, 1, 0, 0), Date.UTC(2026, 0, 1, 0, 1)],
    [-1, -60_000],
  ])('floors %d to its minute', (t, expected) => {
    expect(floorToMinute(t)).toBe(expected);
  });
});
