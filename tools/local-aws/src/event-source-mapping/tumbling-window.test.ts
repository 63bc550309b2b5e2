import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamStateResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ShardCheckpoint } from './checkpoint-store.port';
import type { KinesisTumblingWindowEvent } from './event-source-mapping.options';
import { FileCheckpointStore } from './file-checkpoint-store';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import type { KinesisOnFailureRecord } from './lambda-kinesis-event';
import {
  eventually, putRecords, useMappingHarness, type PutEntry, type PutResult,
} from './kinesalite.test-support';

const FUNCTION = 'aggregate-distance';
/** Windows that close during a test are 1 s long; the others are long enough never to close while it runs. */
const SHORT_WINDOW = 1;
const LONG_WINDOW = 900;

const { local, logs, dirs, newStream, startMapping } = useMappingHarness(FUNCTION, 'tumbling-test');

interface Tally extends Record<string, unknown> {
  count?: number;
  seen?: string[];
}

/**
 * A handler written as for Lambda: it folds the records into the state it is given and returns it. Each event is
 * kept as it arrived (before the handler touched its state); `respond` may replace the response or throw.
 */
type Respond = (event: KinesisTumblingWindowEvent, state: Tally, call: number) => KinesisStreamStateResponse | KinesisStreamBatchResponse;

function aggregator(respond: Respond = (_, state) => ({ state })) {
  const events: KinesisTumblingWindowEvent[] = [];
  return {
    events,
    handler: async (event: KinesisTumblingWindowEvent) => {
      events.push(structuredClone(event));
      const state = event.state as Tally;
      state.count = (state.count ?? 0) + event.Records.length;
      state.seen = [...(state.seen ?? []), ...sequenceNumbersOf(event)];
      return respond(event, state, events.length);
    },
  };
}

class RecordingCheckpointStore extends InMemoryCheckpointStore {
  readonly saved: ShardCheckpoint[] = [];
  override async save(streamName: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    this.saved.push(structuredClone(checkpoint));
    await super.save(streamName, functionName, shardId, checkpoint);
  }
}

const sequenceNumbersOf = (event: KinesisStreamEvent): string[] => event.Records.map((record) => record.kinesis.sequenceNumber);
const sequenceNumbers = (puts: readonly PutResult[]): string[] => puts.map((put) => put.sequenceNumber);
const entries = (count: number, prefix = 'reading'): PutEntry[] => Array.from({ length: count }, (_, i) => ({
  partitionKey: `unicorn-${i % 3}`, data: JSON.stringify({ id: `${prefix}-${i}`, distance: i }),
}));
const finals = (events: readonly KinesisTumblingWindowEvent[]): KinesisTumblingWindowEvent[] =>
  events.filter((event) => event.isFinalInvokeForWindow);
const fail = (): never => {
  throw new Error('unicorn telemetry rejected');
};

/** The window of an arrival time: epoch-aligned, `size` seconds long, as `window` in the event shows it. */
const windowAt = (arrivalSeconds: number, size: number): { start: string; end: string } => {
  const startMs = Math.floor(Math.round(arrivalSeconds * 1000) / (size * 1000)) * size * 1000;
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { start: iso(startMs), end: iso(startMs + size * 1000) };
};

/**
 * Waits (polling, no fixed sleep) until a put made now lands well inside a short window, so that records put
 * together share one window.
 */
const insideShortWindow = (): Promise<boolean> =>
  eventually(() => Date.now() % (SHORT_WINDOW * 1000) < 500, 5_000, 'the clock to be early in a window');

/** Waits until the clock has passed the end of the window that `event` belongs to (polling, no fixed sleep). */
const pastWindowOf = (event: KinesisTumblingWindowEvent): Promise<boolean> =>
  eventually(() => Date.now() > Date.parse(event.window.end) + 5, 5_000, 'the window to end');

describe('KinesisEventSourceMapping with tumbling windows, against kinesalite', () => {
  it('carries the state between invocations of a window, then makes a final invocation with no records by itself', async () => {
    const { name, arn } = await newStream();
    await insideShortWindow();
    const puts = await putRecords(local.kinesis, name, entries(7));
    const last = puts.at(-1)!.sequenceNumber;
    const checkpointStore = new RecordingCheckpointStore();
    const { events, handler } = aggregator();
    startMapping({ streamName: name, handler, checkpointStore, batchSize: 3, tumblingWindowInSeconds: SHORT_WINDOW });

    // Nothing is put after these seven records: the final invocation comes from the window's end alone.
    const final = await eventually(() => finals(events).find((event) => (event.state.seen as string[]).includes(last)),
      10_000, 'the final invocation');

    const windows = new Set(events.map((event) => event.window.start));
    for (const start of windows) {
      const [first, ...rest] = events.filter((event) => event.window.start === start);
      const windowEvents = [first!, ...rest];
      expect(first?.state).toStrictEqual({});
      rest.forEach((event, i) => {
        const before = windowEvents[i]!;
        expect(event.state).toStrictEqual({
          count: (before.state.count as number ?? 0) + before.Records.length,
          seen: [...(before.state.seen as string[] ?? []), ...sequenceNumbersOf(before)],
        });
      });
    }
    const lastRecord = events.flatMap((event) => event.Records).find((record) => record.kinesis.sequenceNumber === last)!;
    const lastWindow = windowAt(lastRecord.kinesis.approximateArrivalTimestamp, SHORT_WINDOW);
    const inLastWindow = events.filter((event) => event.window.start === lastWindow.start).flatMap(sequenceNumbersOf);
    expect(final).toStrictEqual({
      Records: [],
      window: lastWindow,
      state: { count: inLastWindow.length, seen: inLastWindow },
      shardId: puts[0]!.shardId,
      eventSourceARN: arn,
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    });
    expect(events.filter((event) => !event.isFinalInvokeForWindow).flatMap(sequenceNumbersOf)).toEqual(sequenceNumbers(puts));
    // The state is dropped once the final invocation succeeds; the checkpoint stays on the last record.
    await eventually(() => checkpointStore.saved.at(-1)?.window === undefined, 5_000, 'the closed window to be saved');
    expect(checkpointStore.saved.at(-1)).toStrictEqual({ sequenceNumber: puts.at(-1)!.sequenceNumber });
  });

  it('windows by arrival time: a batch never spans two windows, and each window starts with a fresh state', async () => {
    const { name } = await newStream();
    await insideShortWindow();
    const early = await putRecords(local.kinesis, name, entries(3, 'early'));
    const probe = aggregator();
    const reader = startMapping({ streamName: name, functionName: 'probe', handler: probe.handler, tumblingWindowInSeconds: SHORT_WINDOW });
    await reader.drain({ timeoutMs: 10_000 });
    await pastWindowOf(probe.events[0]!);
    await insideShortWindow();
    const late = await putRecords(local.kinesis, name, entries(3, 'late'));
    // A mapping that starts now reads all six records in one GetRecords call; without windows they are one batch.
    const { events, handler } = aggregator();
    startMapping({ streamName: name, handler, batchSize: 100, tumblingWindowInSeconds: SHORT_WINDOW });

    await eventually(() => finals(events).length >= 2, 10_000, 'both windows to close');

    const batches = events.filter((event) => !event.isFinalInvokeForWindow);
    for (const event of [...batches, ...finals(events)]) {
      expect(Date.parse(event.window.end) - Date.parse(event.window.start)).toBe(SHORT_WINDOW * 1000);
      expect(Date.parse(event.window.start) % (SHORT_WINDOW * 1000)).toBe(0);
      for (const record of event.Records) {
        expect(event.window).toStrictEqual(windowAt(record.kinesis.approximateArrivalTimestamp, SHORT_WINDOW));
      }
    }
    expect(batches.map(sequenceNumbersOf)).toEqual([sequenceNumbers(early), sequenceNumbers(late)]);
    expect(events.map((event) => [event.isFinalInvokeForWindow, event.state])).toEqual([
      [false, {}],
      [true, { count: 3, seen: sequenceNumbers(early) }],
      [false, {}],
      [true, { count: 3, seen: sequenceNumbers(late) }],
    ]);
  });

  it('retries a failed final invocation until it succeeds, holding back the next window', async () => {
    const { name } = await newStream();
    await insideShortWindow();
    const early = await putRecords(local.kinesis, name, entries(2, 'early'));
    let finalAttempts = 0;
    const { events, handler } = aggregator((event, state) => {
      if (event.isFinalInvokeForWindow && ++finalAttempts <= 2) fail();
      return { state };
    });
    startMapping({ streamName: name, handler, tumblingWindowInSeconds: SHORT_WINDOW });
    await eventually(() => events.length > 0, 10_000, 'the first invocation');
    await pastWindowOf(events[0]!);
    const late = await putRecords(local.kinesis, name, entries(2, 'late'));

    await eventually(() => events.some((event) => sequenceNumbersOf(event).includes(late[0]!.sequenceNumber)), 10_000, 'the next window');

    expect(events.slice(0, 5).map((event) => (event.isFinalInvokeForWindow ? 'final' : sequenceNumbersOf(event).join()))).toEqual([
      sequenceNumbers(early).join(), 'final', 'final', 'final', sequenceNumbers(late).join(),
    ]);
    expect(finals(events.slice(0, 5)).map((event) => event.state)).toEqual(Array(3).fill({ count: 2, seen: sequenceNumbers(early) }));
  });

  it('retries a thrown invocation with the state it was given, not the one it half-updated', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(4)));
    const checkpointStore = new RecordingCheckpointStore();
    const { events, handler } = aggregator((_, state, call) => {
      if (call === 2) {
        state.count = 999;
        fail();
      }
      return { state };
    });
    const mapping = startMapping({ streamName: name, handler, checkpointStore, batchSize: 2, tumblingWindowInSeconds: LONG_WINDOW });

    await mapping.drain({ timeoutMs: 10_000 });

    expect(events.map((event) => [sequenceNumbersOf(event), event.state])).toEqual([
      [seq.slice(0, 2), {}],
      [seq.slice(2), { count: 2, seen: seq.slice(0, 2) }],
      [seq.slice(2), { count: 2, seen: seq.slice(0, 2) }],
    ]);
    // The checkpoint and the state move together, and only after a success.
    expect(checkpointStore.saved.map((saved) => [saved.sequenceNumber, saved.window?.state])).toEqual([
      [seq[1], { count: 2, seen: seq.slice(0, 2) }],
      [seq[3], { count: 4, seen: seq }],
    ]);
  });

  it.each([
    { bisect: false, calls: (seq: string[]) => [seq, seq], states: [{}, {}] },
    { bisect: true, calls: (seq: string[]) => [seq, seq.slice(0, 2), seq.slice(2)], states: [{}, {}, { count: 2 }] },
  ])('after batch item failures (bisect $bisect), retries from the state it was given and keeps no part of the batch',
    async ({ bisect, calls, states }) => {
      const { name } = await newStream();
      const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(4)));
      const checkpointStore = new RecordingCheckpointStore();
      const { events, handler } = aggregator((_, state, call) => (call === 1
        ? { state, batchItemFailures: [{ itemIdentifier: seq[2]! }] } satisfies KinesisStreamStateResponse
        : { state, batchItemFailures: [] }));
      const mapping = startMapping({
        streamName: name, handler, checkpointStore, batchSize: 4, tumblingWindowInSeconds: LONG_WINDOW,
        functionResponseTypes: ['ReportBatchItemFailures'], bisectBatchOnFunctionError: bisect,
      });

      await mapping.drain({ timeoutMs: 10_000 });

      expect(events.map(sequenceNumbersOf)).toEqual(calls(seq));
      expect(events.map((event) => ({ count: event.state.count }))).toEqual(states.map((state) => ({ count: state.count })));
      expect(checkpointStore.saved.at(-1)).toMatchObject({ sequenceNumber: seq[3], window: { state: { count: 4, seen: seq } } });
      expect(checkpointStore.saved.map((saved) => saved.sequenceNumber)).not.toContain(seq[0]);
    });

  it('counts a response without state as a failed invocation', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(2)));
    const { events, handler } = aggregator((_, state, call) => (call === 1 ? { batchItemFailures: [] } : { state }));
    const mapping = startMapping({ streamName: name, handler, tumblingWindowInSeconds: LONG_WINDOW });

    await mapping.drain({ timeoutMs: 10_000 });

    expect(events.map((event) => [sequenceNumbersOf(event), event.state])).toEqual([[seq, {}], [seq, {}]]);
    expect(logs).toContainEqual({ level: 'warn', message: 'function returned no state' });
  });

  it('after maximumRetryAttempts, discards the batch to onFailure and goes on with the state from before it', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(3)));
    const failures: KinesisOnFailureRecord[] = [];
    const { events, handler } = aggregator((event, state) => (sequenceNumbersOf(event).includes(seq[1]!) ? fail() : { state }));
    const mapping = startMapping({
      streamName: name, handler, batchSize: 1, maximumRetryAttempts: 1, tumblingWindowInSeconds: LONG_WINDOW,
      onFailure: async (failure) => { failures.push(failure); },
    });

    await mapping.drain({ timeoutMs: 10_000 });

    expect(events.map((event) => [sequenceNumbersOf(event), event.state.count])).toEqual([
      [[seq[0]], undefined], [[seq[1]], 1], [[seq[1]], 1], [[seq[2]], 1],
    ]);
    expect(failures.map((failure) => failure.KinesisBatchInfo.startSequenceNumber)).toEqual([seq[1]]);
  });

  it('ends the window early when a state passes 1 MB: hands over the last state that fit, then goes on fresh', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(4)));
    const { events, handler } = aggregator((_, state, call) =>
      (call === 2 ? { state: { ...state, padding: 'x'.repeat(1024 * 1024) } } : { state }));
    const mapping = startMapping({ streamName: name, handler, batchSize: 2, tumblingWindowInSeconds: LONG_WINDOW });

    await mapping.drain({ timeoutMs: 10_000 });

    const window = events[0]!.window;
    expect(events.map((event) => ({
      records: sequenceNumbersOf(event), state: event.state, window: event.window,
      isFinalInvokeForWindow: event.isFinalInvokeForWindow, isWindowTerminatedEarly: event.isWindowTerminatedEarly,
    }))).toEqual([
      { records: seq.slice(0, 2), state: {}, window, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false },
      { records: seq.slice(2), state: { count: 2, seen: seq.slice(0, 2) }, window, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false },
      { records: [], state: { count: 2, seen: seq.slice(0, 2) }, window, isFinalInvokeForWindow: true, isWindowTerminatedEarly: true },
      { records: seq.slice(2), state: {}, window, isFinalInvokeForWindow: false, isWindowTerminatedEarly: false },
    ]);
  });

  it('counts the state in the payload limit: no event, state included, passes maxPayloadBytes', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name,
      Array.from({ length: 12 }, (_, i) => ({ partitionKey: 'unicorn-1', data: 'x'.repeat(200 + i) }))));
    const { events, handler } = aggregator((_, state) => ({ state: { count: state.count, padding: 'p'.repeat(1200) } }));
    const mapping = startMapping({ streamName: name, handler, maxPayloadBytes: 3000, tumblingWindowInSeconds: LONG_WINDOW });

    await mapping.drain({ timeoutMs: 10_000 });

    expect(events.flatMap(sequenceNumbersOf)).toEqual(seq);
    expect(events[0]!.Records.length).toBeGreaterThan(events[1]!.Records.length);
    for (const event of events) expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(3000);
  });

  it('closes the window when the shard ends; the children start with a fresh state', async () => {
    const { name } = await newStream();
    const parentPuts = await putRecords(local.kinesis, name, entries(3, 'parent'));
    await local.kinesis.send(new SplitShardCommand({
      StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString(),
    }));
    await eventually(async () => (await local.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 10_000, 'the split');
    const childPuts = await putRecords(local.kinesis, name, entries(6, 'child'));
    const { events, handler } = aggregator();
    const mapping = startMapping({ streamName: name, handler, tumblingWindowInSeconds: LONG_WINDOW });

    await mapping.drain({ timeoutMs: 10_000 });

    const parentFinal = events.findIndex((event) => event.isFinalInvokeForWindow);
    expect(events.slice(0, parentFinal + 1).map((event) => [event.shardId, event.isFinalInvokeForWindow])).toEqual([
      ['shardId-000000000000', false], ['shardId-000000000000', true],
    ]);
    expect(events[parentFinal]?.state).toStrictEqual({ count: 3, seen: sequenceNumbers(parentPuts) });
    const children = events.slice(parentFinal + 1);
    expect(new Set(children.map((event) => event.shardId))).toEqual(new Set(childPuts.map((put) => put.shardId)));
    for (const shardId of new Set(childPuts.map((put) => put.shardId))) {
      expect(children.find((event) => event.shardId === shardId)?.state).toStrictEqual({});
    }
  });

  it('keeps the state with file checkpoints: a restarted runner goes on with the last successful state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esm-tumbling-'));
    dirs.push(dir);
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(6));
    const seq = sequenceNumbers(puts);
    let stopping: Promise<void> | undefined;
    const first = aggregator((_, state, call) => {
      // The third invocation fails while the runner stops: its state is never kept.
      if (call === 3) {
        stopping ??= firstRun.stop();
        fail();
      }
      return { state };
    });
    const firstRun = startMapping({
      streamName: name, handler: first.handler, batchSize: 2, tumblingWindowInSeconds: LONG_WINDOW,
      checkpointStore: new FileCheckpointStore(dir),
    });
    await eventually(() => stopping !== undefined, 10_000, 'the first run to stop');
    await stopping;
    const saved = JSON.parse(await readFile(join(dir, name, FUNCTION, `${puts[0]!.shardId}.json`), 'utf8')) as unknown;

    const second = aggregator();
    const secondRun = startMapping({
      streamName: name, handler: second.handler, batchSize: 2, tumblingWindowInSeconds: LONG_WINDOW,
      checkpointStore: new FileCheckpointStore(dir),
    });
    await secondRun.drain({ timeoutMs: 10_000 });

    expect(saved).toStrictEqual({
      checkpoint: seq[3],
      window: { ...first.events[0]!.window, state: { count: 4, seen: seq.slice(0, 4) } },
    });
    expect(second.events.map((event) => [sequenceNumbersOf(event), event.window, event.state])).toEqual([
      [seq.slice(4), first.events[0]!.window, { count: 4, seen: seq.slice(0, 4) }],
    ]);
  });

  it('without tumblingWindowInSeconds, delivers plain events and ignores a returned state', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(3)));
    const checkpointStore = new RecordingCheckpointStore();
    const events: KinesisStreamEvent[] = [];
    const mapping = startMapping({
      streamName: name, checkpointStore, batchSize: 2,
      handler: async (event) => {
        events.push(event);
        return { state: { ignored: true } };
      },
    });

    await mapping.drain({ timeoutMs: 10_000 });

    expect(events.map((event) => Object.keys(event))).toEqual([['Records'], ['Records']]);
    expect(checkpointStore.saved).toStrictEqual([{ sequenceNumber: seq[1] }, { sequenceNumber: seq[2] }]);
  });
});
