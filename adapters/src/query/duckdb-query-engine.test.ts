import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetReadings, statusTime } from '@wildrydes/test-kit';
import { DuckDbQueryEngine } from './duckdb-query-engine';
import { writeLocalArchive, type LocalArchive } from '@wildrydes/test-kit';
import { totalDistanceQuery } from '@wildrydes/domain';

describe('DuckDbQueryEngine', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function engineOver(archive: LocalArchive, layout: 's3rver' | 'plain' = 's3rver'): Promise<DuckDbQueryEngine> {
    const engine = new DuckDbQueryEngine({ bucketDir: archive.bucketDir, layout });
    cleanups.push(async () => {
      await engine.close();
      await archive.remove();
    });
    return engine;
  }

  it('reports bytesScanned as the gzip bytes of the objects in the partitions the query can touch', async () => {
    // Prepare
    const readings = fleetReadings();
    const archive = await writeLocalArchive('s3rver', readings, []);
    const engine = await engineOver(archive);
    const rawBytes = (dt?: string) =>
      [...archive.objectBytes].filter(([key]) => key.startsWith('raw/') && (!dt || key === `raw/${dt}`)).reduce((sum, [, bytes]) => sum + bytes, 0);

    // Act
    const all = await engine.query(totalDistanceQuery.sql({}));
    const oneDay = await engine.query(totalDistanceQuery.sql({ dt: { from: '2026-11-22', to: '2026-11-22' } }));
    const noTable = await engine.query('SELECT 1 AS one');
    const alertsOnly = await engine.query('SELECT COUNT(*) FROM unicorn_alerts');

    // Assess
    expect(all.bytesScanned).toBe(rawBytes());
    expect(oneDay.bytesScanned).toBe(rawBytes('2026-11-22'));
    expect(noTable.bytesScanned).toBe(0);
    expect(alertsOnly.bytesScanned).toBe(0);
  });

  it('sees objects written after the previous query, and the first object of an empty archive', async () => {
    // Prepare
    const archive = await writeLocalArchive('s3rver', [], []);
    const engine = await engineOver(archive);
    const before = await engine.query('SELECT COUNT(*) AS n FROM wildrydes');
    const line = JSON.stringify({ Distance: 1, HealthPoints: 150, Latitude: 40.7, Longitude: -73.9, MagicPoints: 151, Name: 'Epona', StatusTime: statusTime(Date.UTC(2026, 10, 22, 10)) });
    const dir = join(archive.bucketDir, 'raw', 'dt=2026-11-22', 'hour=10');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'late.json.gz._S3rver_object'), gzipSync(`${line}\n`));

    // Act
    const after = await engine.query('SELECT COUNT(*) AS n FROM wildrydes');

    // Assess
    expect(before.rows).toEqual([[0]]);
    expect(after.rows).toEqual([[1]]);
  });

  it('runs concurrent queries without their views interfering', async () => {
    // Prepare
    const readings = fleetReadings();
    const engine = await engineOver(await writeLocalArchive('plain', readings, []), 'plain');

    // Act
    const results = await Promise.all(Array.from({ length: 6 }, () => engine.query('SELECT COUNT(*) FROM wildrydes')));

    // Assess
    expect(results.map((r) => r.rows)).toEqual(Array.from({ length: 6 }, () => [[readings.length]]));
  });

  it('cannot read files outside the bucket directory', async () => {
    // Prepare
    const engine = await engineOver(await writeLocalArchive('s3rver', [], []));

    // Act & Assess
    await expect(engine.query("SELECT * FROM read_csv('/etc/hostname')")).rejects.toMatchObject({
      code: 'QUERY_FAILED',
      reason: expect.stringMatching(/Permission Error/),
    });
  });

  it('refuses a bucket directory with glob characters, which would match other folders', () => {
    expect(() => new DuckDbQueryEngine({ bucketDir: '/tmp/data*/wildrydes' })).toThrow(RangeError);
  });
});
