import { describe, expect, it } from 'vitest';
import { InvalidQueryParameterError } from './invalid-query-parameter.error';
import { unicornReadingsQuery } from './workshop-queries';

const AT = (iso: string): number => Date.parse(iso);

describe('unicorn-readings query (the dashboard\'s cold tier)', () => {
  it('selects one unicorn in [from, to), pruned to the range\'s UTC days, oldest first, limited', () => {
    expect(unicornReadingsQuery.sql({ name: "O'Brien", from: AT('2026-11-22T23:30:00Z'), to: AT('2026-11-23T00:30:00Z'), limit: 500 })).toBe([
      'SELECT StatusTime, Latitude, Longitude, Distance, MagicPoints, HealthPoints',
      'FROM wildrydes',
      "WHERE dt >= '2026-11-22'",
      "  AND dt <= '2026-11-23'",
      "  AND Name = 'O''Brien'",
      "  AND StatusTime >= TIMESTAMP '2026-11-22 23:30:00.000'",
      "  AND StatusTime < TIMESTAMP '2026-11-23 00:30:00.000'",
      'ORDER BY StatusTime',
      'LIMIT 500',
    ].join('\n'));
  });

  it('does not reach into the next day when the range ends at midnight', () => {
    expect(unicornReadingsQuery.sql({ name: 'Pegasus', from: AT('2026-11-22T23:00:00Z'), to: AT('2026-11-23T00:00:00Z'), limit: 1 })).toContain("dt <= '2026-11-22'");
  });

  it.each([
    [{ name: "x' OR '1'='1", from: 0, to: 1, limit: 1 }, 'name'],
    [{ name: 'Pegasus', from: 10, to: 10, limit: 1 }, 'to'],
    [{ name: 'Pegasus', from: 0, to: 1, limit: 0 }, 'limit'],
    [{ name: 'Pegasus', from: 0, to: 1, limit: 1.5 }, 'limit'],
  ])('refuses %j before any SQL is written', (params, parameter) => {
    expect(() => unicornReadingsQuery.sql(params)).toThrow(InvalidQueryParameterError);
    try { unicornReadingsQuery.sql(params); } catch (error) { expect((error as InvalidQueryParameterError).parameter).toBe(parameter); }
  });
});
