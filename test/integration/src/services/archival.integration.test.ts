import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { kinesisEvent } from '@wildrydes/test-kit';
import { provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { vitalLow } from '@wildrydes/test-kit';
import type { createArchiveAlertHandler } from '@wildrydes/archival';
import type { createArchiveReadingsHandler } from '@wildrydes/archival';
import { readArchivalConfig } from '@wildrydes/archival';
import { ARCHIVAL_TOKENS, createArchivalContainer } from '@wildrydes/archival';

const NOW = Date.UTC(2026, 11, 1, 12);
const NAMES = ['Bucephalus', 'Rocinante', 'Shadowfax'] as const;

/** 30 readings over two event-time hours (09:59:45 … 10:00:14), three unicorns, distances exact in binary. */
const readings = Array.from({ length: 30 }, (_, i) => ({
  Name: NAMES[i % 3] as string,
  StatusTime: new Date(Date.UTC(2026, 11, 1, 9, 59, 45 + i)).toISOString().replace('T', ' ').replace('Z', ''),
  Latitude: 40.75 + i / 1000,
  Longitude: -73.98,
  Distance: 10 + (i % 4) * 0.25,
  MagicPoints: 150,
  HealthPoints: 140 - i,
}));
const POISON = ['not json', '{"Name":"Shadowfax"}', JSON.stringify({ ...readings[0], Latitude: 123 })];
/** Poison records spread among the good ones, as the stream would carry them. */
const texts = [...readings.slice(0, 10).map((r) => JSON.stringify(r)), POISON[0]!, ...readings.slice(10, 20).map((r) => JSON.stringify(r)),
  POISON[1]!, ...readings.slice(20).map((r) => JSON.stringify(r)), POISON[2]!];

describe('archival on the local runtime (s3rver + DuckDB)', () => {
  let runtime: LocalRuntime;
  let clients: AwsClients;
  let engine: DuckDbQueryEngine;
  let archiveReadings: ReturnType<typeof createArchiveReadingsHandler>;
  let archiveAlert: ReturnType<typeof createArchiveAlertHandler>;
  let store: S3ArchiveStore;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
    clients = createAwsClients(runtime.endpoints);
    await provisionResources(clients);
    const container = createArchivalContainer(readArchivalConfig({}), clients.connection, {
      clock: () => NOW,
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
    });
    archiveReadings = container.get(ARCHIVAL_TOKENS.ArchiveReadingsHandler);
    archiveAlert = container.get(ARCHIVAL_TOKENS.ArchiveAlertHandler);
    store = container.get(ARCHIVAL_TOKENS.ArchiveStore);
    // s3rver keeps each object as `<s3DataDir>/<bucket>/<key>._S3rver_object`: the engine wants the bucket's folder.
    engine = new DuckDbQueryEngine({ bucketDir: join(runtime.endpoints.s3DataDir, RESOURCE_NAMES.dataBucket) });
  });

  afterAll(async () => {
    await engine?.close();
    clients?.destroy();
    await runtime?.stop();
  });

  it('archives a batch with poison records, delivered again and again, as one delivery would, and keeps each reject once', async () => {
    // Prepare: an attempt cut short (it wrote its objects, then the invocation timed out), its retry from the same
    // checkpoint with the rest appended, and a plain redelivery of that retry.
    const full = kinesisEvent(texts, 5000n);
    const cutShort = { Records: full.Records.slice(0, 15) };
    // Act
    expect(await archiveReadings(cutShort)).toEqual({ batchItemFailures: [] });
    expect(await archiveReadings(full)).toEqual({ batchItemFailures: [] });
    expect(await archiveReadings(full)).toEqual({ batchItemFailures: [] });
    // Assess: the store is the real S3 adapter, and the archive holds every valid reading once.
    expect(store).toBeInstanceOf(S3ArchiveStore);
    const raw: string[] = [];
    for await (const key of store.list('raw/')) raw.push(key);
    expect(raw).toEqual([
      'raw/dt=2026-12-01/hour=09/shardId-000000000000~3A5000.json.gz',
      'raw/dt=2026-12-01/hour=10/shardId-000000000000~3A5016.json.gz',
    ]);
    const count = await engine.query('SELECT COUNT(*) AS n FROM wildrydes');
    expect(count.rows).toEqual([[readings.length]]);
    const distances = await engine.query('SELECT name, SUM(distance) AS total FROM wildrydes GROUP BY name ORDER BY name');
    expect(distances.rows).toEqual(NAMES.map((name) => [name, readings.filter((r) => r.Name === name).reduce((sum, r) => sum + r.Distance, 0)]));
    const byHour = await engine.query('SELECT hour, COUNT(*) AS n FROM wildrydes GROUP BY hour ORDER BY hour');
    expect(byHour.rows).toEqual([['09', 15], ['10', 15]]);
    // …and each poison record once under rejected/, with its reason.
    const rejected: string[] = [];
    for await (const key of store.list('rejected/')) rejected.push(key);
    expect(rejected).toHaveLength(POISON.length);
    const codes = await Promise.all(rejected.map(async (key) => (JSON.parse((await store.read(key))[0]!) as { code: string }).code));
    expect(codes.sort()).toEqual(['INVALID_JSON', 'LATITUDE_OUT_OF_RANGE', 'MISSING_FIELD']);
  });

  it('archives an alert once however often it is delivered, readable as unicorn_alerts', async () => {
    await archiveAlert(vitalLow);
    await archiveAlert(vitalLow);
    const alerts = await engine.query('SELECT alertid, name, kind, dt FROM unicorn_alerts');
    expect(alerts.rows).toEqual([[vitalLow.detail.alertId, vitalLow.detail.name, vitalLow.detail.kind, '2026-11-22']]);
  });
});
