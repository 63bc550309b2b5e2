import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEngine, QueryResult, QueryValue } from '@wildrydes/domain';
import { READINGS_TABLE, ALERTS_TABLE, selectStarColumns } from '@wildrydes/domain';
import { fleetAlerts, fleetReadings, isoOf, type ArchivedAlert, type ArchivedReading } from '../mothers/archive-records.mother';
import { afterQuery, lowVitalsQuery, totalDistanceQuery, tripQuery } from '@wildrydes/domain';

export interface QueryEngineUnderTest {
  readonly engine: QueryEngine;
  dispose(): Promise<void>;
}

/** Builds an engine over an archive holding exactly these readings and alerts. */
export type QueryEngineFactory = (archive: {
  readonly readings: readonly ArchivedReading[];
  readonly alerts: readonly ArchivedAlert[];
}) => Promise<QueryEngineUnderTest>;

/**
 * The behaviour every QueryEngine must share, checked against answers computed in plain TypeScript from the same
 * readings — never against the other engine, so a bug common to both cannot hide.
 */
export function queryEngineContract(factory: QueryEngineFactory): void {
  describe('over a fleet archive', () => {
    const readings = fleetReadings();
    const alerts = fleetAlerts(readings);
    let subject: QueryEngineUnderTest;

    beforeAll(async () => {
      subject = await factory({ readings, alerts });
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('counts every archived reading', async () => {
      // Act
      const result = await subject.engine.query('SELECT COUNT(*) AS readings FROM wildrydes');

      // Assess
      expect(result.columns).toEqual(['readings']);
      expect(result.rows).toEqual([[readings.length]]);
      expect(result.bytesScanned).toBeGreaterThan(0);
    });

    it('returns a reading with the Athena table columns, ISO timestamps and string partitions', async () => {
      // Prepare
      const reading = readings[7]!;

      // Act
      const result = await subject.engine.query(
        `SELECT * FROM wildrydes WHERE Name = '${reading.Name.replaceAll("'", "''")}' AND StatusTime = TIMESTAMP '${reading.StatusTime}'`,
      );

      // Assess
      expect(result.columns).toEqual(selectStarColumns(READINGS_TABLE));
      expect(result.rows).toEqual([
        [
          reading.Name,
          isoOf(reading.StatusTime),
          reading.Latitude,
          reading.Longitude,
          reading.Distance,
          reading.MagicPoints,
          reading.HealthPoints,
          reading.StatusTime.slice(0, 10),
          reading.StatusTime.slice(11, 13),
        ],
      ]);
    });

    it('answers total-distance per unicorn, case-insensitively, within 1e-6', async () => {
      // Act
      const result = await subject.engine.query(totalDistanceQuery.sql({}));

      // Assess
      expect(result.columns).toEqual(['name', 'totaldistance']);
      expectTotals(result, totalDistanceOf(readings));
    });

    it('answers total-distance for a dt range from those partitions only, reading fewer bytes', async () => {
      // Prepare
      const day = readings[readings.length - 1]!.StatusTime.slice(0, 10);
      const inRange = readings.filter((r) => r.StatusTime.startsWith(day));

      // Act
      const all = await subject.engine.query(totalDistanceQuery.sql({}));
      const narrowed = await subject.engine.query(totalDistanceQuery.sql({ dt: { from: day, to: day } }));

      // Assess
      expect(inRange.length).toBeLessThan(readings.length);
      expectTotals(narrowed, totalDistanceOf(inRange));
      expect(narrowed.bytesScanned).toBeGreaterThan(0);
      expect(narrowed.bytesScanned).toBeLessThan(all.bytesScanned);
    });

    it('answers after with every later reading in time order', async () => {
      // Prepare
      const after = readings[30]!.StatusTime;
      const expected = readings
        .filter((r) => r.StatusTime > after)
        .sort((a, b) => (a.StatusTime === b.StatusTime ? (a.Name < b.Name ? -1 : 1) : a.StatusTime < b.StatusTime ? -1 : 1))
        .map((r) => [r.Name, isoOf(r.StatusTime)]);

      // Act
      const result = await subject.engine.query(afterQuery.sql({ after }));

      // Assess
      expect(result.columns).toEqual(selectStarColumns(READINGS_TABLE));
      expect(result.rows.map((row) => [row[0], row[1]])).toEqual(expected);
    });

    it("answers trip with one unicorn's positions in time order", async () => {
      // Prepare: a name with an apostrophe proves the parameter is escaped, not pasted.
      const name = "Al'Borak";
      const expected = readings
        .filter((r) => r.Name === name)
        .sort((a, b) => (a.StatusTime < b.StatusTime ? -1 : 1))
        .map((r) => [r.Latitude, r.Longitude, isoOf(r.StatusTime)]);

      // Act
      const result = await subject.engine.query(tripQuery.sql({ name }));

      // Assess
      expect(expected.length).toBeGreaterThan(0);
      expect(result.columns).toEqual(['latitude', 'longitude', 'statustime']);
      expect(result.rows).toEqual(expected);
    });

    it('answers low-vitals with the readings where any vital is below 100', async () => {
      // Prepare
      const lowVitals = (r: ArchivedReading) => r.HealthPoints < 100 || r.MagicPoints < 100;
      const firstDay = readings[0]!.StatusTime.slice(0, 10);
      const keyOf = (r: ArchivedReading) => `${r.Name}|${isoOf(r.StatusTime)}`;

      // Act
      const all = await subject.engine.query(lowVitalsQuery.sql({}));
      const firstDayOnly = await subject.engine.query(lowVitalsQuery.sql({ dt: { to: firstDay } }));

      // Assess
      const rowKey = (row: readonly QueryValue[]) => `${String(row[0])}|${String(row[1])}`;
      expect(all.rows.map(rowKey).sort()).toEqual(readings.filter(lowVitals).map(keyOf).sort());
      expect(firstDayOnly.rows.map(rowKey).sort()).toEqual(
        readings.filter((r) => lowVitals(r) && r.StatusTime.startsWith(firstDay)).map(keyOf).sort(),
      );
      expect(all.rows.every((row) => Number(row[5]) < 100 || Number(row[6]) < 100)).toBe(true);
    });

    it('reads the alerts table with its nulls', async () => {
      // Prepare
      const expected = new Map<string, number>();
      for (const alert of alerts) expected.set(alert.kind, (expected.get(alert.kind) ?? 0) + 1);

      // Act
      const byKind = await subject.engine.query('SELECT kind, COUNT(*) AS alerts FROM unicorn_alerts GROUP BY kind ORDER BY kind');
      const withoutValue = await subject.engine.query('SELECT alertId, value, vital FROM unicorn_alerts WHERE value IS NULL ORDER BY alertId');
      const all = await subject.engine.query('SELECT * FROM unicorn_alerts ORDER BY alertId');

      // Assess
      expect(byKind.rows).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(withoutValue.columns).toEqual(['alertid', 'value', 'vital']);
      expect(withoutValue.rows).toEqual(alerts.filter((a) => a.value === null).map((a) => [a.alertId, null, null]));
      expect(all.columns).toEqual(selectStarColumns(ALERTS_TABLE));
      const first = alerts[0]!;
      expect(all.rows[0]).toEqual([
        first.alertId, first.name, first.kind, first.severity, first.vital, first.value, first.threshold,
        isoOf(first.readingTime), first.latitude, first.longitude, first.schemaVersion, first.readingTime.slice(0, 10),
      ]);
    });

    it('rejects bad SQL with a QUERY_FAILED error that names the problem', async () => {
      // Act & Assess
      await expect(subject.engine.query('SELEC Name FROM wildrydes')).rejects.toMatchObject({ code: 'QUERY_FAILED', name: expect.stringMatching(/Error$/) });
      await expect(subject.engine.query('SELECT no_such_column FROM wildrydes')).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringMatching(/no_such_column/i) });
    });
  });

  describe('over an empty archive', () => {
    let subject: QueryEngineUnderTest;

    beforeAll(async () => {
      subject = await factory({ readings: [], alerts: [] });
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('still has both tables, with their columns and no rows', async () => {
      // Act
      const count = await subject.engine.query('SELECT COUNT(*) AS readings FROM wildrydes');
      const all = await subject.engine.query('SELECT * FROM wildrydes');
      const totals = await subject.engine.query(totalDistanceQuery.sql({}));
      const alerts = await subject.engine.query('SELECT * FROM unicorn_alerts');

      // Assess
      expect(count.rows).toEqual([[0]]);
      expect(all.columns).toEqual(selectStarColumns(READINGS_TABLE));
      expect(all.rows).toEqual([]);
      expect(totals.rows).toEqual([]);
      expect(alerts.columns).toEqual(selectStarColumns(ALERTS_TABLE));
      expect(alerts.rows).toEqual([]);
      expect(count.bytesScanned).toBe(0);
    });
  });

  describe('over 100k readings', () => {
    const readings = fleetReadings({ unicorns: 100, readingsPerUnicorn: 1000, intervalMs: 5_000 });
    let subject: QueryEngineUnderTest;

    beforeAll(async () => {
      subject = await factory({ readings, alerts: [] });
    }, 120_000);
    afterAll(async () => {
      await subject?.dispose();
    });

    it('groups total-distance correctly (the time is printed, not asserted)', async () => {
      // Act
      const started = performance.now();
      const result = await subject.engine.query(totalDistanceQuery.sql({}));
      const elapsedMs = performance.now() - started;

      // Assess
      console.info(
        `[query contract] ${result.engine}: total-distance GROUP BY over ${readings.length} readings in ${elapsedMs.toFixed(0)} ms, ` +
          `${result.bytesScanned} bytes scanned`,
      );
      expect(result.rows).toHaveLength(100);
      expectTotals(result, totalDistanceOf(readings));
    });
  });
}

function totalDistanceOf(readings: readonly ArchivedReading[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of readings) totals.set(r.Name, (totals.get(r.Name) ?? 0) + r.Distance);
  return totals;
}

function expectTotals(result: QueryResult, expected: ReadonlyMap<string, number>): void {
  const actual = new Map(result.rows.map((row) => [String(row[0]), Number(row[1])]));
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, total] of expected) {
    expect(Math.abs((actual.get(name) ?? Number.NaN) - total), name).toBeLessThan(1e-6);
  }
}
