import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InMemoryAlertPublisher, InMemoryHealthStore, kinesisEvent } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY } from '@wildrydes/domain';
import type { HealthStore } from '@wildrydes/domain';
import { createTrackHealthHandler } from './track-health.handler';
import { TrackHealth, type TrackHealthBatch } from './track-health.use-case';

const NOW = Date.UTC(2026, 10, 22, 10, 5);
const line = (name: string, second: number, health = 150) =>
  JSON.stringify({ Distance: 29.5, HealthPoints: health, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: `2026-11-22 10:00:${String(second).padStart(2, '0')}.000` }) + '\n';
const options = { policy: DEFAULT_HEALTH_POLICY, lastSeenSaveIntervalMs: 10_000, idleShardAfterMs: 30_000, maxConflictRetries: 0 };
const handlerWith = (store: HealthStore) => createTrackHealthHandler({
  trackHealth: new TrackHealth(store, new InMemoryAlertPublisher(), options),
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
  clock: () => NOW,
});

describe('track-health handler', () => {
  it('applies good records, skips poison ones and reports no failures', async () => {
    const store = new InMemoryHealthStore();
    const response = await handlerWith(store)(kinesisEvent([line('Shadowfax', 1), 'poison', line('Bucephalus', 1, 40)]));
    expect(response).toEqual({ batchItemFailures: [] });
    // Bucephalus came in low, so its state is written at once; healthy Shadowfax waits in its shard's record.
    expect([...(await store.load(['Shadowfax', 'Bucephalus'])).keys()]).toEqual(['Bucephalus']);
    expect((await store.readAll()).map((view) => [view.state.name, view.state.levels.HealthPoints])).toEqual([['Bucephalus', 'critical'], ['Shadowfax', 'ok']]);
  });

  it('reports exactly the records of a unicorn that could not be applied', async () => {
    // A store where every write for Shadowfax loses its race: with no conflict retries, Shadowfax fails.
    const inner = new InMemoryHealthStore();
    const racing: HealthStore = {
      load: (names) => inner.load(names),
      loadShard: (shardId) => inner.loadShard(shardId),
      saveShard: (record, version) => inner.saveShard(record, version),
      listShards: () => inner.listShards(),
      applyTransitions: async (changes) => {
        const outcome = await inner.applyTransitions(changes.filter((c) => c.state.name !== 'Shadowfax'));
        return { conflicts: [...outcome.conflicts, ...changes.filter((c) => c.state.name === 'Shadowfax').map((c) => c.state.name)] };
      },
    };
    const response = await handlerWith(racing)(kinesisEvent([line('Bucephalus', 2), line('Shadowfax', 30, 40), line('Shadowfax', 31, 40)], 2000n));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2001' }, { itemIdentifier: '2002' }] });
  });

  it('tells the use case until when each unicorn was heard: a packed record speaks for its whole stretch of readings', async () => {
    // Prepare: Rocinante packed (readings 0–24 in one record), Shadowfax in two plain records.
    let given: TrackHealthBatch | undefined;
    const spy = { execute: async (batch: TrackHealthBatch) => ((given = batch), { alerts: [], written: 0, lastSeenSaved: 0, failedUnicorns: [] }) } as unknown as TrackHealth;
    const handler = createTrackHealthHandler({ trackHealth: spy, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'test', serviceName: 'test' }), clock: () => NOW });
    const pack = Array.from({ length: 25 }, (_, second) => line('Rocinante', second)).join('');
    const event = kinesisEvent([pack, line('Shadowfax', 3), line('Shadowfax', 4)]);
    const arrivedAt = Math.round((event.Records[0]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000);

    // Act
    await handler(event);

    // Assess
    expect(given?.heardUntil).toEqual(new Map([['Rocinante', arrivedAt + 24_000], ['Shadowfax', arrivedAt]]));
    expect(given?.arrivals).toEqual(new Map([['Rocinante', arrivedAt], ['Shadowfax', arrivedAt]]));
  });

  it('fails the whole batch on an unexpected error, so the mapping retries and bisects it', async () => {
    const broken: HealthStore = {
      load: async () => { throw new Error('table unreachable'); },
      applyTransitions: async () => ({ conflicts: [] }),
      loadShard: async () => undefined, saveShard: async () => 'saved' as const, listShards: async () => [],
    };
    await expect(handlerWith(broken)(kinesisEvent([line('Shadowfax', 1)]))).rejects.toThrow('table unreachable');
  });
});
