import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InMemorySummaryPublisher, InMemorySummaryStore, kinesisEvent } from '@wildrydes/test-kit';
import type { SummaryStore } from '@wildrydes/domain';
import { createAggregateMinutesHandler } from './aggregate-minutes.handler';
import { AggregateMinutes } from './aggregate-minutes.use-case';

const NOW = Date.UTC(2026, 10, 22, 10, 5);
const line = (name: string, minute: number, second: number) =>
  JSON.stringify({ Distance: 29.5, HealthPoints: 150, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: `2026-11-22 10:0${minute}:${String(second).padStart(2, '0')}.000` }) + '\n';
const handlerWith = (store: SummaryStore, publisher = new InMemorySummaryPublisher()) => createAggregateMinutesHandler({
  aggregateMinutes: new AggregateMinutes(store, publisher, { emissionLookbackMs: 600_000 }),
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
  clock: () => NOW,
});

describe('aggregate-minutes handler', () => {
  it('aggregates good records, skips poison ones, and emits the minute closed by a later reading', async () => {
    const store = new InMemorySummaryStore();
    const publisher = new InMemorySummaryPublisher();
    const response = await handlerWith(store, publisher)(kinesisEvent([line('Shadowfax', 0, 1), '{"Name":', line('Shadowfax', 0, 2), line('Shadowfax', 1, 0)]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.published().map((s) => [s.StatusTime, s.Readings, s.Distance])).toEqual([['2026-11-22 10:01:00.000', 2, 59]]);
    expect((await store.listByName('Shadowfax')).map((s) => s.summary.Readings)).toEqual([2, 1]);
  });

  it('fails the whole batch on a store error, so the mapping retries or bisects it', async () => {
    const broken: SummaryStore = { merge: async () => { throw new Error('throttled for good'); }, findPending: async () => [], markEmitted: async () => undefined };
    await expect(handlerWith(broken)(kinesisEvent([line('Shadowfax', 0, 1)]))).rejects.toThrow('throttled for good');
  });
});
