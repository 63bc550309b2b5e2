import { describe, expect, it } from 'vitest';
import { InvalidQueryParameterError } from './invalid-query-parameter.error';
import { afterQuery, lowVitalsQuery, totalDistanceQuery, tripQuery, WORKSHOP_QUERIES } from './workshop-queries';

describe('workshop queries', () => {
  it('names the four workshop queries', () => {
    expect(Object.keys(WORKSHOP_QUERIES)).toEqual(['total-distance', 'after', 'trip', 'low-vitals']);
    for (const [name, query] of Object.entries(WORKSHOP_QUERIES)) expect(query.name).toBe(name);
  });

  it('writes total-distance as the workshop did, with the dt range first so partitions are pruned', () => {
    expect(totalDistanceQuery.sql({})).toBe('SELECT Name, SUM(Distance) AS TotalDistance\nFROM wildrydes\nGROUP BY Name\nORDER BY Name');
    expect(totalDistanceQuery.sql({ dt: { from: '2026-11-01', to: '2026-11-30' } })).toBe(
      "SELECT Name, SUM(Distance) AS TotalDistance\nFROM wildrydes\nWHERE dt >= '2026-11-01'\n  AND dt <= '2026-11-30'\nGROUP BY Name\nORDER BY Name",
    );
  });

  it.each([
    ['2026-11-22 10:15:03.120', "TIMESTAMP '2026-11-22 10:15:03.120'"],
    ['2026-11-22 10:15:03', "TIMESTAMP '2026-11-22 10:15:03.000'"],
    ['2026-11-22 10:15:03.5', "TIMESTAMP '2026-11-22 10:15:03.500'"],
    ['2026-11-22T10:15:03.120Z', "TIMESTAMP '2026-11-22 10:15:03.120'"],
    ['2026-11-22T12:15:03.120+02:00', "TIMESTAMP '2026-11-22 10:15:03.120'"],
    [new Date(Date.UTC(2026, 10, 22, 10, 15, 3, 120)), "TIMESTAMP '2026-11-22 10:15:03.120'"],
  ])('accepts %j as the after timestamp', (after, literal) => {
    expect(afterQuery.sql({ after })).toContain(`StatusTime > ${literal}`);
  });

  it.each([
    "2026-11-22 10:15:03' OR '1'='1",
    '2026-11-22',
    '2026-02-30 10:00:00',
    '2026-11-22 24:00:00',
    '2026-11-22T10:15:03',
    '22/11/2026 10:15',
    new Date(Number.NaN),
  ])('rejects %j as the after timestamp', (after) => {
    expect(() => afterQuery.sql({ after })).toThrow(InvalidQueryParameterError);
  });

  it('escapes a quote in a unicorn name and rejects names that are not names', () => {
    expect(tripQuery.sql({ name: "Al'Borak" })).toContain("Name = 'Al''Borak'");
    expect(() => tripQuery.sql({ name: "x'; DROP TABLE wildrydes; --" })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY_PARAMETER' }));
    expect(() => tripQuery.sql({ name: '' })).toThrow(InvalidQueryParameterError);
  });

  it.each([
    [{ from: '2026-11-31' }],
    [{ to: "2026-11-01' OR 1=1 --" }],
    [{ from: '2026-11-02', to: '2026-11-01' }],
  ])('rejects the dt range %j', (dt) => {
    expect(() => lowVitalsQuery.sql({ dt })).toThrow(InvalidQueryParameterError);
  });
});
