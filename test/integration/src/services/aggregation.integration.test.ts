import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import { KinesisSummaryPublisher, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { FleetSimulation, RESOURCE_NAMES, toWorkshopRecord, type Reading } from '@wildrydes/domain';
import { AggregateMinutes } from '@wildrydes/aggregation';

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

  it('keeps a table equal, item for item, to a SQL GROUP BY, through duplicated and bisected delivery, and emits closed minutes once', async () => {
    // Prepare: 4 unicorns, 3.5 minutes, every 7th reading duplicated.
    const sim = new FleetSimulation({ seed: 5, unicorns: 4, startTime: T0, scenarios: { duplicateEvery: 7 } });
    const records = Array.from({ length: 210 }, () => sim.tick()).flat();
    const delivered = records.map((r) => r.reading!);
    const distinct = records.filter((r) => r.kind !== 'duplicate').map((r) => r.reading!);
    const store = new DynamoDbSummaryStore(clients.documentClient, { tableName: RESOURCE_NAMES.summaryTable });
    const aggregate = new AggregateMinutes(store, new KinesisSummaryPublisher(new KinesisTelemetryStream(clients.kinesis, RESOURCE_NAMES.summaryStream)), { emissionLookbackMs: 600_000 });

    // Act: batches of 100, each delivered, then replayed in two halves (as a bisected retry would).
    for (let i = 0; i < delivered.length; i += 100) {
      const batch = delivered.slice(i, i + 100);
      await aggregate.execute(batch);
      await aggregate.execute(batch.slice(0, 50));
      await aggregate.execute(batch.slice(50));
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

    // Assess: the summary stream holds each closed minute (09:00–09:02 for 4 unicorns) exactly once.
    const { Shards } = await clients.kinesis.send(new ListShardsCommand({ StreamName: RESOURCE_NAMES.summaryStream }));
    const lines: string[] = [];
    for (const shard of Shards ?? []) {
      const { ShardIterator } = await clients.kinesis.send(new GetShardIteratorCommand({ StreamName: RESOURCE_NAMES.summaryStream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await clients.kinesis.send(new GetRecordsCommand({ ShardIterator: ShardIterator!, Limit: 1000 }));
      for (const r of Records ?? []) lines.push(new TextDecoder().decode(r.Data));
    }
    const emitted = lines.map((l) => JSON.parse(l) as { Name: string; StatusTime: string });
    expect(emitted).toHaveLength(12);
    expect(new Set(emitted.map((s) => `${s.Name}|${s.StatusTime}`)).size).toBe(12);
  });
});
