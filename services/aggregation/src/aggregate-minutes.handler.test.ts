import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InMemorySummaryPublisher, InMemorySummaryStore, kinesisEvent, kinesisWindowEvent } from '@wildrydes/test-kit';
import { decodeAggregationState, type SummaryStore } from '@wildrydes/domain';
import { createAggregateMinutesHandler } from './aggregate-minutes.handler';
import { AggregateMinutes } from './aggregate-minutes.use-case';

const NOW = Date.UTC(2026, 10, 22, 10, 5);
const line = (name: string, minute: number, second: number) =>
  JSON.stringify({ Distance: 29.5, HealthPoints: 150, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: `2026-11-22 10:0${minute}:${String(second).padStart(2, '0')}.000` }) + '\n';
const handlerWith = (store: SummaryStore, publisher = new InMemorySummaryPublisher()) => createAggregateMinutesHandler({
  aggregateMinutes: new AggregateMinutes(store, publisher, { emissionLookbackMs: 900_000 }),
  logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
  clock: () => NOW,
});

describe('aggregate-minutes handler', () => {
  it('carries open minutes in the window\'s state, skips poison records, and emits a minute once a later one arrives', async () => {
    // Prepare
    const store = new InMemorySummaryStore();
    const publisher = new InMemorySummaryPublisher();
    const handler = handlerWith(store, publisher);

    // Act
    const first = await handler(kinesisWindowEvent([line('Shadowfax', 0, 1), '{"Name":', line('Shadowfax', 0, 2)]));
    const second = await handler(kinesisWindowEvent([line('Shadowfax', 1, 0)], { state: first.state }));

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(decodeAggregationState(first.state).open.get('Shadowfax')?.offsets).toEqual([1000, 2000]);
    expect(store.writeCount).toBe(1);
    expect(publisher.published().map((s) => [s.StatusTime, s.Readings, s.Distance])).toEqual([['2026-11-22 10:01:00.000', 2, 59]]);
    expect(decodeAggregationState(second.state).open.get('Shadowfax')?.windowStart).toBe(Date.UTC(2026, 10, 22, 10, 1));
  });

  it('stores the open minutes as pending on the window\'s final invocation and answers with an empty state', async () => {
    // Prepare
    const store = new InMemorySummaryStore();
    const handler = handlerWith(store);
    const first = await handler(kinesisWindowEvent([line('Shadowfax', 0, 1)]));

    // Act
    const final = await handler(kinesisWindowEvent([], { state: first.state, isFinalInvokeForWindow: true }));

    // Assess
    expect(final).toEqual({ state: { v: 1, u: [] }, batchItemFailures: [] });
    expect(await store.get('Shadowfax', Date.UTC(2026, 10, 22, 10))).toMatchObject({ version: 1, emitted: false });
  });

  it('stores everything at once for a plain batch event (a mapping without a tumbling window)', async () => {
    const store = new InMemorySummaryStore();
    const response = await handlerWith(store)(kinesisEvent([line('Shadowfax', 0, 1), line('Shadowfax', 1, 0)]));
    expect(response.state).toEqual({ v: 1, u: [] });
    expect((await store.listByName('Shadowfax')).map((s) => [s.summary.Readings, s.emitted])).toEqual([[1, true], [1, false]]);
  });

  it('fails the whole invocation on a store error, so Lambda retries it with the same state', async () => {
    const broken: SummaryStore = { merge: async () => { throw new Error('throttled for good'); }, findPending: async () => [], markEmitted: async () => undefined };
    await expect(handlerWith(broken)(kinesisWindowEvent([line('Shadowfax', 0, 1)], { isFinalInvokeForWindow: true }))).rejects.toThrow('throttled for good');
  });

  it('refuses a state it did not write, rather than guessing', async () => {
    await expect(handlerWith(new InMemorySummaryStore())(kinesisWindowEvent([line('Shadowfax', 0, 1)], { state: { v: 99 } })))
      .rejects.toMatchObject({ code: 'INVALID_AGGREGATION_STATE' });
  });
});
