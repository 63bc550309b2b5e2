import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import { KinesisSummaryPublisher, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { FleetSimulation, RESOURCE_NAMES, toWorkshopRecord, type Reading } from '@wildrydes/domain';
import { AggregateMinutes, createAggregateMinutesHandler } from '@wildrydes/aggregation';
import { kinesisWindowEvent } from '@wildrydes/test-kit';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

/** The reference: the readings as archived NDJSON, summarised by a plain SQL GROUP BY in DuckDB. */
async function sqlGroupBy(readings: readonly Reading[]) {
  const dir = await mkdtemp(join(tmpdir(), 'wildrydes-groupby-'));
  try {
    const partition = join(dir, 'raw', 'dt=2026-12-01', 'hour=09');
    await mkdir(partition, { recursive: true });
    await writeFile(join(partition, 'all.json.gz'), gzipSync(readings.map((r) => JSON.stringify(toWorkshopRecord(r))).join('\n') + '\n'));
    const engine = new DuckDbQueryEngine({ bucketDir: dir, layout: 'plain' });
    try {
      const result = await engine.query(`
        SELECT name, strftime(date_trunc('minute', statustime) + INTERVAL 1 MINUTE, '%Y-%m-%d %H:%M:%S.000') AS statustime,
               round(sum(distance), 3) AS distance, min(magicpoints) AS minmagic, max(magicpoints) AS maxmagic,
               min(healthpoints) AS minhealth, max(healthpoints) AS maxhealth, count(*) AS readings
        FROM wildrydes GROUP BY 1, 2 ORDER BY 1, 2`);
      return result.rows.map(([name, statusTime, distance, minMagic, maxMagic, minHealth, maxHealth, count]) =>
        ({ name, statusTime, distance, minMagic, maxMagic, minHealth, maxHealth, count }));
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('aggregation on the local runtime', () => {
  let runtime: LocalRuntime;
  let clients: AwsClients;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
    clients = createAwsClients(runtime.endpoints);
    await provisionResources(clients);
  });

  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
  });

  it('keeps a table equal, item for item, to a SQL GROUP BY, through duplicated, replayed and bisected invocations across windows, and emits every closed minute', async () => {
    // Prepare: 4 unicorns, 3.5 minutes, every 7th reading duplicated; the real handler on the stand-ins.
    const sim = new FleetSimulation({ seed: 5, unicorns: 4, startTime: T0, scenarios: { duplicateEvery: 7 } });
    const records = Array.from({ length: 210 }, () => sim.tick()).flat();
    const distinct = records.filter((r) => r.kind !== 'duplicate').map((r) => r.reading!);
    const store = new DynamoDbSummaryStore(clients.documentClient, { tableName: RESOURCE_NAMES.summaryTable });
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const handler = createAggregateMinutesHandler({
      aggregateMinutes: new AggregateMinutes(store, new KinesisSummaryPublisher(new KinesisTelemetryStream(clients.kinesis, RESOURCE_NAMES.summaryStream)), { emissionLookbackMs: 900_000 }),
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
      clock: () => T0 + 10 * 60_000,
    });
    // Two tumbling windows: the first ends at 09:02 with minute 09:01 open, so the second emits it after a lookup.
    const windows = [records.filter((r) => r.reading!.time < T0 + 120_000), records.filter((r) => r.reading!.time >= T0 + 120_000)];

    // Act: per window, batches of 100 records, the state carried from one invocation to the next; every batch is
    // also replayed with its input state (a retried invocation), and every other one then bisected (each half in
    // turn, the second with the first half's state); then the window's final invocation.
    for (const [w, window] of windows.entries()) {
      const bounds = { start: new Date(T0 + w * 120_000).toISOString(), end: new Date(T0 + (w + 1) * 120_000).toISOString() };
      let state: Record<string, unknown> | undefined;
      for (let i = 0, k = 0; i < window.length; i += 100, k++) {
        const texts = window.slice(i, i + 100).map((r) => r.data);
        const input = state;
        const invoke = (batch: string[], from: Record<string, unknown> | undefined) =>
          handler(kinesisWindowEvent(batch, { window: bounds, ...(from === undefined ? {} : { state: from }) }));
        state = (await invoke(texts, input)).state;
        await invoke(texts, input);
        if (k % 2 === 1) {
          const half = await invoke(texts.slice(0, 50), input);
          await invoke(texts.slice(50), half.state);
        }
      }
      const final = await handler(kinesisWindowEvent([], { window: bounds, isFinalInvokeForWindow: true, ...(state === undefined ? {} : { state }) }));
      expect(final.state).toEqual({ v: 1, u: [] });
    }

    // Assess: the table against SQL.
    const expected = await sqlGroupBy(distinct);
    const names = [...new Set(distinct.map((r) => r.name))].sort();
    const table = (await Promise.all(names.map((n) => store.listByName(n)))).flat().map(({ summary: s }) => ({
      name: s.Name, statusTime: s.StatusTime, distance: s.Distance, minMagic: s.MinMagicPoints, maxMagic: s.MaxMagicPoints,
      minHealth: s.MinHealthPoints, maxHealth: s.MaxHealthPoints, count: s.Readings,
    }));
    expect(table.length).toBe(expected.length);
    table.forEach((row, i) => {
      const sql = expected[i]!;
      expect({ ...row, distance: 0 }).toEqual({ ...sql, distance: 0 });
      expect(row.distance).toBeCloseTo(sql.distance as number, 2);
    });

    // Assess: the summary stream holds each closed minute (09:00–09:02 for 4 unicorns), at least once (a replayed
    // invocation publishes what it closes again), always with the table's numbers; the open 09:03 is not emitted.
    const { Shards } = await clients.kinesis.send(new ListShardsCommand({ StreamName: RESOURCE_NAMES.summaryStream }));
    const lines: string[] = [];
    for (const shard of Shards ?? []) {
      const { ShardIterator } = await clients.kinesis.send(new GetShardIteratorCommand({ StreamName: RESOURCE_NAMES.summaryStream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await clients.kinesis.send(new GetRecordsCommand({ ShardIterator: ShardIterator!, Limit: 1000 }));
      for (const r of Records ?? []) lines.push(new TextDecoder().decode(r.Data));
    }
    const emitted = lines.map((l) => JSON.parse(l) as { Name: string; StatusTime: string; Readings: number; Distance: number });
    const byMinute = new Map<string, string>();
    for (const summary of emitted) {
      const key = `${summary.Name}|${summary.StatusTime}`;
      expect(byMinute.get(key) ?? JSON.stringify(summary)).toBe(JSON.stringify(summary));
      byMinute.set(key, JSON.stringify(summary));
    }
    expect([...byMinute.keys()].sort()).toEqual(table.filter((row) => row.statusTime <= '2026-12-01 09:03:00.000').map((row) => `${row.name}|${row.statusTime}`).sort());
    for (const row of table.filter((r) => r.statusTime <= '2026-12-01 09:03:00.000')) {
      expect(JSON.parse(byMinute.get(`${row.name}|${row.statusTime}`)!)).toMatchObject({ Readings: row.count, Distance: row.distance });
    }
  });
});
