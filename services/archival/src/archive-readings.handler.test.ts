import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InMemoryArchiveStore, InMemoryQuarantine, kinesisEvent, kinesisRecord } from '@wildrydes/test-kit';
import type { ArchiveStore } from '@wildrydes/domain';
import { createArchiveReadingsHandler } from './archive-readings.handler';
import { ArchiveReadings } from './archive-readings.use-case';

const NOW = Date.UTC(2026, 10, 22, 11, 5);
const record = (name: string, time: string, distance = 29.5) =>
  ({ Distance: distance, HealthPoints: 150, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: time });
const line = (name: string, time: string, distance?: number) => JSON.stringify(record(name, time, distance)) + '\n';

const setup = (store: ArchiveStore = new InMemoryArchiveStore()) => {
  const quarantine = new InMemoryQuarantine();
  const handler = createArchiveReadingsHandler({
    archiveReadings: new ArchiveReadings(store, quarantine),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
    clock: () => NOW,
  });
  return { store, quarantine, handler };
};

describe('archive-readings handler', () => {
  it('archives valid readings by event-time hour, quarantines poison records and reports no failures', async () => {
    // Prepare
    const store = new InMemoryArchiveStore();
    const { quarantine, handler } = setup(store);
    const event = kinesisEvent([
      line('Shadowfax', '2026-11-22 09:59:59.500'),
      'poison',
      line('Bucephalus', '2026-11-22 10:00:00.250', 12),
      line('Shadowfax', '2026-11-22 09:59:59.900') + '{"Name":""}\n',
    ], 2000n);
    // Act
    const response = await handler(event);
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(store.keys().sort()).toEqual([
      'raw/dt=2026-11-22/hour=09/shardId-000000000000~3A2000.json.gz',
      'raw/dt=2026-11-22/hour=10/shardId-000000000000~3A2002.json.gz',
    ]);
    expect(await store.read('raw/dt=2026-11-22/hour=09/shardId-000000000000~3A2000.json.gz')).toEqual([
      JSON.stringify(record('Shadowfax', '2026-11-22 09:59:59.500')),
      JSON.stringify(record('Shadowfax', '2026-11-22 09:59:59.900')),
    ]);
    expect(await store.read('raw/dt=2026-11-22/hour=10/shardId-000000000000~3A2002.json.gz')).toEqual([
      JSON.stringify(record('Bucephalus', '2026-11-22 10:00:00.250', 12)),
    ]);
    const kept = quarantine.objects();
    expect([...kept.keys()].sort()).toEqual([
      'rejected/dt=2026-11-22/hour=10/shardId-000000000000~3A2001.json.gz',
      'rejected/dt=2026-11-22/hour=10/shardId-000000000000~3A2003.json.gz',
    ]);
    expect(kept.get('rejected/dt=2026-11-22/hour=10/shardId-000000000000~3A2001.json.gz')).toEqual([
      expect.objectContaining({ sourcePosition: 'shardId-000000000000:2001', code: 'INVALID_JSON', raw: 'poison', line: 1 }),
    ]);
    expect(kept.get('rejected/dt=2026-11-22/hour=10/shardId-000000000000~3A2003.json.gz')).toEqual([
      expect.objectContaining({ line: 2, raw: '{"Name":""}' }),
    ]);
  });

  it('groups by shard too: the same hour on two shards is two objects, each keyed by its own first record', async () => {
    // Prepare: the local runner and tests may hand one handler records of two shards.
    const store = new InMemoryArchiveStore();
    const { handler } = setup(store);
    const time = '2026-11-22 10:00:01.000';
    const event = { Records: [
      kinesisRecord(line('Shadowfax', time), { shardId: 'shardId-000000000000', sequenceNumber: '11' }),
      kinesisRecord(line('Bucephalus', time), { shardId: 'shardId-000000000001', sequenceNumber: '12' }),
      kinesisRecord(line('Rocinante', time), { shardId: 'shardId-000000000000', sequenceNumber: '13' }),
    ] };
    // Act
    await handler(event);
    // Assess
    expect(store.keys().sort()).toEqual([
      'raw/dt=2026-11-22/hour=10/shardId-000000000000~3A11.json.gz',
      'raw/dt=2026-11-22/hour=10/shardId-000000000001~3A12.json.gz',
    ]);
    expect((await store.read('raw/dt=2026-11-22/hour=10/shardId-000000000000~3A11.json.gz')).length).toBe(2);
  });

  it('writes the same objects when the batch is redelivered', async () => {
    const store = new InMemoryArchiveStore();
    const { quarantine, handler } = setup(store);
    const event = kinesisEvent([line('Shadowfax', '2026-11-22 10:00:01.000'), 'poison']);
    await handler(event);
    const before = { keys: store.keys(), lines: await store.read(store.keys()[0]!), kept: quarantine.objects() };
    await handler(event);
    expect({ keys: store.keys(), lines: await store.read(store.keys()[0]!), kept: quarantine.objects() }).toEqual(before);
  });

  it('fails the whole batch when an archive write fails, so the mapping retries or bisects it', async () => {
    const broken: ArchiveStore = {
      write: async () => { throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }); },
      read: async () => [],
      list: async function* () { /* nothing */ },
    };
    const { handler } = setup(broken);
    await expect(handler(kinesisEvent([line('Shadowfax', '2026-11-22 10:00:01.000')]))).rejects.toMatchObject({ code: 'ARCHIVE_WRITE_FAILED' });
  });

  it('fails the whole batch when the quarantine cannot keep a poison record', async () => {
    const { quarantine, handler } = setup();
    quarantine.failWith(new Error('AccessDenied'));
    await expect(handler(kinesisEvent(['poison']))).rejects.toMatchObject({ code: 'ARCHIVE_WRITE_FAILED', quarantineFailed: true });
  });

  it('answers an empty batch with no failures and writes nothing', async () => {
    const { store, handler } = setup();
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect((store as InMemoryArchiveStore).keys()).toEqual([]);
  });
});
