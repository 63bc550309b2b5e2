import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, SplitShardCommand, type GetRecordsCommandOutput, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ShardCheckpoint } from './checkpoint-store.port';
import { FileCheckpointStore } from './file-checkpoint-store';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import { KinesisEventSourceMapping } from './kinesis-event-source-mapping';
import type { KinesisOnFailureRecord } from './lambda-kinesis-event';
import { createLocalKinesisClient } from './local-kinesis-client';
import {
  eventually, putRecords, useMappingHarness, type PutEntry, type PutResult,
} from './kinesalite.test-support';

const FUNCTION = 'track-health';
const DRAIN = { timeoutMs: 15_000 };

const { local, log, logs, mappings, clients, dirs, newStream, startMapping } = useMappingHarness(FUNCTION, 'esm-test');

/** A handler that records every invocation; `respond` decides its outcome (throw to fail the batch). */
function recorder(respond: (sequenceNumbers: string[], call: number) => KinesisStreamBatchResponse | void = () => undefined) {
  const calls: string[][] = [];
  return {
    calls,
    handler: async (event: KinesisStreamEvent) => {
      calls.push(sequenceNumbersOf(event));
      return respond(sequenceNumbersOf(event), calls.length);
    },
  };
}

class RecordingCheckpointStore extends InMemoryCheckpointStore {
  readonly saved: string[] = [];
  override async save(streamName: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    this.saved.push(checkpoint.sequenceNumber);
    await super.save(streamName, functionName, shardId, checkpoint);
  }
}

const sequenceNumbersOf = (event: KinesisStreamEvent): string[] => event.Records.map((record) => record.kinesis.sequenceNumber);
const sequenceNumbers = (puts: readonly PutResult[]): string[] => puts.map((put) => put.sequenceNumber);
const entries = (count: number, prefix = 'reading'): PutEntry[] => Array.from({ length: count }, (_, i) => ({
  partitionKey: `unicorn-${i % 30}`, data: JSON.stringify({ id: `${prefix}-${i}`, name: `unicorn-${i % 30}` }),
}));
const sorted = (values: readonly string[]): string[] => [...values].sort();

/** A client of its own, with a middleware that sees (or breaks) each command. */
function instrumentedClient(before: (command: string) => void, after: (command: string, output: unknown) => void = () => {}): KinesisClient {
  const client = createLocalKinesisClient(local.endpoint);
  clients.push(client);
  client.middlewareStack.add((next, context) => async (args) => {
    before(context.commandName ?? '');
    const result = await next(args);
    after(context.commandName ?? '', result.output);
    return result;
  }, { step: 'initialize', name: 'testProbe' });
  return client;
}

const fail = (): never => {
  throw new Error('unicorn telemetry rejected');
};

describe('KinesisEventSourceMapping against kinesalite', () => {
  it('delivers the exact KinesisStreamEvent shape with a Lambda context', async () => {
    const { name, arn } = await newStream();
    const account = arn.split(':')[4];
    const before = Date.now();
    const [put] = await putRecords(local.kinesis, name, [{ partitionKey: 'unicorn-7', data: '{"name":"Shadowfox"}' }]);
    const after = Date.now();
    const seen: { event: KinesisStreamEvent; context: Context; remainingMs: number }[] = [];
    const mapping = startMapping({
      streamName: name,
      handler: async (event, context) => {
        seen.push({ event, context, remainingMs: context.getRemainingTimeInMillis() });
      },
    });

    await mapping.drain(DRAIN);

    expect(seen).toHaveLength(1);
    const { event, context, remainingMs } = seen[0]!;
    expect(event).toStrictEqual({
      Records: [{
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'unicorn-7',
          sequenceNumber: put!.sequenceNumber,
          data: Buffer.from('{"name":"Shadowfox"}').toString('base64'),
          approximateArrivalTimestamp: expect.any(Number),
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${put!.shardId}:${put!.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${account}:role/${FUNCTION}-role`,
        awsRegion: 'us-east-1',
        eventSourceARN: arn,
      }],
    });
    const arrivalMs = event.Records[0]!.kinesis.approximateArrivalTimestamp * 1000;
    expect(arrivalMs).toBeGreaterThanOrEqual(before - 1000);
    expect(arrivalMs).toBeLessThanOrEqual(after + 1000);
    expect(context).toMatchObject({
      functionName: FUNCTION,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:${FUNCTION}`,
      memoryLimitInMB: '128',
      logGroupName: `/aws/lambda/${FUNCTION}`,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(3000);
  });

  it('keeps each shard in order, one shard per batch, every record once, across 3 shards', async () => {
    const { name } = await newStream(3);
    const puts = await putRecords(local.kinesis, name, entries(300));
    const { calls, handler } = recorder();
    const mapping = startMapping({ streamName: name, handler, batchSize: 7 });

    await mapping.drain(DRAIN);

    const shardOf = (sequenceNumber: string): string | undefined =>
      puts.find((put) => put.sequenceNumber === sequenceNumber)?.shardId;
    const shards = [...new Set(puts.map((put) => put.shardId))];
    expect(shards.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(7);
      expect(new Set(call.map(shardOf)).size).toBe(1);
    }
    for (const shard of shards) {
      const delivered = calls.flat().filter((sequenceNumber) => shardOf(sequenceNumber) === shard);
      expect(delivered).toEqual(sequenceNumbers(puts.filter((put) => put.shardId === shard)));
    }
    expect(sorted(calls.flat())).toEqual(sorted(sequenceNumbers(puts)));
  });

  it('fills batches up to batchSize', async () => {
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(25));
    const { calls, handler } = recorder();
    const mapping = startMapping({ streamName: name, handler, batchSize: 10 });

    await mapping.drain(DRAIN);

    expect(calls.map((call) => call.length)).toEqual([10, 10, 5]);
    expect(calls.flat()).toEqual(sequenceNumbers(puts));
  });

  it('stops adding records to a batch when the payload would exceed maxPayloadBytes', async () => {
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name,
      Array.from({ length: 9 }, (_, i) => ({ partitionKey: 'unicorn-1', data: 'x'.repeat(200 + i) })));
    const events: KinesisStreamEvent[] = [];
    const mapping = startMapping({ streamName: name, maxPayloadBytes: 2000, handler: async (event) => { events.push(event); } });

    await mapping.drain(DRAIN);

    expect(events.map((event) => event.Records.length)).toEqual([2, 2, 2, 2, 1]);
    for (const event of events) expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(2000);
    expect(events.flatMap(sequenceNumbersOf)).toEqual(sequenceNumbers(puts));
  });

  it.each([
    { window: 0, batches: [[0], [1]] },
    { window: 1, batches: [[0, 1]] },
  ])('with a batching window of $window s, a record arriving after the first read joins batches $batches', async ({ window, batches }) => {
    const { name } = await newStream();
    let recordsRead = 0;
    let firstReadAt = 0;
    const kinesis = instrumentedClient(() => {}, (command, output) => {
      if (command !== 'GetRecordsCommand') return;
      recordsRead += (output as GetRecordsCommandOutput).Records?.length ?? 0;
      if (recordsRead > 0) firstReadAt ||= Date.now();
    });
    const invokedAt: number[] = [];
    const { calls, handler } = recorder(() => {
      invokedAt.push(Date.now());
    });
    const mapping = startMapping({ streamName: name, kinesis, handler, maximumBatchingWindowInSeconds: window });

    const first = await putRecords(local.kinesis, name, entries(1));
    await eventually(() => recordsRead > 0, 10_000, 'the first record to be read');
    const second = await putRecords(local.kinesis, name, entries(1));
    await mapping.drain(DRAIN);

    const puts = [...first, ...second];
    expect(calls).toEqual(batches.map((batch) => batch.map((i) => puts[i]!.sequenceNumber)));
    if (window > 0) expect(invokedAt[0]! - firstReadAt).toBeGreaterThanOrEqual(window * 1000 - 50);
  });

  it('starts at TRIM_HORIZON, AT_TIMESTAMP or LATEST', async () => {
    const { name } = await newStream();
    const old = await putRecords(local.kinesis, name, entries(3, 'old'));
    const putDone = Date.now();
    await eventually(() => Date.now() > putDone, 1000, 'the clock to move past the old records');
    const timestamp = new Date();
    const middle = await putRecords(local.kinesis, name, entries(3, 'middle'));
    const fromTrimHorizon = recorder();
    const fromTimestamp = recorder();
    const fromLatest = recorder();
    const started = [
      startMapping({ streamName: name, functionName: 'trim-horizon', handler: fromTrimHorizon.handler }),
      startMapping({
        streamName: name, functionName: 'at-timestamp', handler: fromTimestamp.handler,
        startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: timestamp,
      }),
      startMapping({ streamName: name, functionName: 'latest', handler: fromLatest.handler, startingPosition: 'LATEST' }),
    ];
    await Promise.all(started.map((mapping) => mapping.drain(DRAIN)));

    const newest = await putRecords(local.kinesis, name, entries(3, 'newest'));
    await Promise.all(started.map((mapping) => mapping.drain(DRAIN)));

    expect(fromTrimHorizon.calls.flat()).toEqual(sequenceNumbers([...old, ...middle, ...newest]));
    expect(fromTimestamp.calls.flat()).toEqual(sequenceNumbers([...middle, ...newest]));
    expect(fromLatest.calls.flat()).toEqual(sequenceNumbers(newest));
  });

  it('with ReportBatchItemFailures, checkpoints just before the lowest failure and retries from it', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(10)));
    const checkpointStore = new RecordingCheckpointStore();
    const { calls, handler } = recorder((_, call) =>
      (call === 1 ? { batchItemFailures: [{ itemIdentifier: seq[6]! }, { itemIdentifier: seq[3]! }] } : undefined));
    const mapping = startMapping({
      streamName: name, handler, checkpointStore, batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'],
    });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq, seq.slice(3)]);
    expect(checkpointStore.saved).toEqual([seq[2], seq[9]]);
  });

  it.each([
    { case: 'an empty identifier', itemIdentifier: '' },
    { case: 'an identifier not in the batch', itemIdentifier: '49999999999999999999999999999999999999999999999999999999' },
  ])('with ReportBatchItemFailures, $case fails the whole batch', async ({ itemIdentifier }) => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(4)));
    const checkpointStore = new RecordingCheckpointStore();
    const { calls, handler } = recorder((_, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier }] } : undefined));
    const mapping = startMapping({ streamName: name, handler, checkpointStore, functionResponseTypes: ['ReportBatchItemFailures'] });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq, seq]);
    expect(checkpointStore.saved).toEqual([seq[3]]);
  });

  it('ignores the response without ReportBatchItemFailures', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(3)));
    const { calls, handler } = recorder(() => ({ batchItemFailures: [{ itemIdentifier: seq[0]! }] }));
    const mapping = startMapping({ streamName: name, handler });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq]);
  });

  it('retries a batch whose invocation throws until it succeeds, then checkpoints it', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(5)));
    const checkpointStore = new RecordingCheckpointStore();
    const { calls, handler } = recorder((_, call) => (call <= 2 ? fail() : undefined));
    const mapping = startMapping({ streamName: name, handler, checkpointStore });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq, seq, seq]);
    expect(checkpointStore.saved).toEqual([seq[4]]);
    expect(logs.filter((entry) => entry.message === 'function failed')).toHaveLength(2);
  });

  it('waits retryBackoffBaseMs (jittered, at least half) before retrying a failed batch, so a short outage does not spend its retries', async () => {
    const { name } = await newStream();
    await putRecords(local.kinesis, name, entries(1));
    const startedAt: number[] = [];
    const handler = async (): Promise<void> => {
      startedAt.push(Date.now());
      if (startedAt.length === 1) fail();
    };
    const mapping = startMapping({ streamName: name, handler, maxBackoffMs: 10_000, retryBackoffBaseMs: 600 });

    await mapping.drain(DRAIN);

    expect(startedAt).toHaveLength(2);
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(300);
  });

  it('bisects without waiting for the retry backoff', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(4)));
    const { calls, handler } = recorder((_, call) => (call === 1 ? fail() : undefined));
    // A retry would wait at least 30 s, past the drain's 15 s: only the halves, delivered at once, can drain.
    const mapping = startMapping({
      streamName: name, handler, bisectBatchOnFunctionError: true, maxBackoffMs: 60_000, retryBackoffBaseMs: 60_000,
    });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq, seq.slice(0, 2), seq.slice(2)]);
  });

  it('with the defaults (-1/-1), retries a failing batch forever and blocks its shard', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(2)));
    const checkpointStore = new RecordingCheckpointStore();
    const failures: KinesisOnFailureRecord[] = [];
    const { calls, handler } = recorder((batch) => (batch.includes(seq[0]!) ? fail() : undefined));
    const mapping = startMapping({
      streamName: name, handler, checkpointStore, batchSize: 1, onFailure: async (failure) => { failures.push(failure); },
    });

    await eventually(() => calls.length >= 6, 10_000, 'six attempts');
    await expect(mapping.drain({ timeoutMs: 100 })).rejects.toMatchObject({ code: 'ESM_DRAIN_TIMEOUT' });
    await mapping.stop();

    expect(new Set(calls.map((call) => call.join()))).toEqual(new Set([seq[0]]));
    expect(failures).toEqual([]);
    expect(checkpointStore.saved).toEqual([]);
  });

  it('bisects a failing batch until the poison record is alone; every neighbour is delivered once', async () => {
    const { name, arn } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(16)));
    const poison = seq[5]!;
    const succeeded: string[] = [];
    const failures: KinesisOnFailureRecord[] = [];
    const checkpointStore = new RecordingCheckpointStore();
    const { calls, handler } = recorder((batch) => {
      if (batch.includes(poison)) fail();
      succeeded.push(...batch);
    });
    const mapping = startMapping({
      streamName: name, handler, checkpointStore, batchSize: 16, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1,
      onFailure: async (failure) => { failures.push(failure); },
    });

    await mapping.drain(DRAIN);

    expect(sorted(succeeded)).toEqual(sorted(seq.filter((s) => s !== poison)));
    expect(calls.map((call) => call.length)).toEqual([16, 8, 4, 4, 2, 1, 1, 1, 2, 8]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { functionError: 'Unhandled' },
      KinesisBatchInfo: { startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1, streamArn: arn },
    });
    expect(checkpointStore.saved.at(-1)).toBe(seq[15]);
  });

  it('with ReportBatchItemFailures and bisect, splits at the reported record and isolates it', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(16)));
    const poison = seq[5]!;
    const succeeded: string[] = [];
    const failures: KinesisOnFailureRecord[] = [];
    // Like a partial-batch processor that stops at the first record it cannot handle.
    const { calls, handler } = recorder((batch) => {
      const at = batch.indexOf(poison);
      succeeded.push(...(at < 0 ? batch : batch.slice(0, at)));
      return at < 0 ? { batchItemFailures: [] } : { batchItemFailures: [{ itemIdentifier: poison }] };
    });
    const mapping = startMapping({
      streamName: name, handler, batchSize: 16, functionResponseTypes: ['ReportBatchItemFailures'],
      bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailure: async (failure) => { failures.push(failure); },
    });

    await mapping.drain(DRAIN);

    expect(sorted(succeeded)).toEqual(sorted(seq.filter((s) => s !== poison)));
    expect(calls[1]).toEqual(seq.slice(5));
    expect(failures.map((failure) => failure.KinesisBatchInfo.startSequenceNumber)).toEqual([poison]);
    expect(failures[0]?.responseContext?.functionError).toBeUndefined();
  });

  it('after maximumRetryAttempts, sends the batch to onFailure and moves past it', async () => {
    const { name, arn } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(5));
    const seq = sequenceNumbers(puts);
    const checkpointStore = new RecordingCheckpointStore();
    const failures: KinesisOnFailureRecord[] = [];
    const { calls, handler } = recorder((batch) => (batch.includes(seq[0]!) ? fail() : undefined));
    const mapping = startMapping({
      streamName: name, handler, checkpointStore, maximumRetryAttempts: 2, onFailure: async (failure) => { failures.push(failure); },
    });
    await mapping.drain(DRAIN);
    const later = sequenceNumbers(await putRecords(local.kinesis, name, entries(1)));
    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq, seq, seq, later]);
    expect(failures).toEqual([{
      requestContext: {
        requestId: expect.any(String),
        functionArn: `arn:aws:lambda:us-east-1:${arn.split(':')[4]}:function:${FUNCTION}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String),
      KinesisBatchInfo: {
        shardId: puts[0]!.shardId,
        startSequenceNumber: seq[0],
        endSequenceNumber: seq[4],
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        batchSize: 5,
        streamArn: arn,
      },
    }]);
    expect(checkpointStore.saved).toEqual([seq[4], later[0]]);
  });

  it('discards records older than maximumRecordAgeInSeconds while retrying', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(3)));
    let clockOffsetMs = 0;
    const checkpointStore = new RecordingCheckpointStore();
    const failures: KinesisOnFailureRecord[] = [];
    const { calls, handler } = recorder(() => {
      clockOffsetMs = 120_000;
      fail();
    });
    const mapping = startMapping({
      streamName: name, handler, checkpointStore, maximumRecordAgeInSeconds: 60, clock: () => Date.now() + clockOffsetMs,
      onFailure: async (failure) => { failures.push(failure); },
    });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([seq]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 1 },
      KinesisBatchInfo: { startSequenceNumber: seq[0], endSequenceNumber: seq[2], batchSize: 3 },
    });
    expect(checkpointStore.saved).toEqual([seq[2]]);
  });

  it('discards records already too old without invoking the function', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(2)));
    const failures: KinesisOnFailureRecord[] = [];
    const { calls, handler } = recorder();
    const mapping = startMapping({
      streamName: name, handler, maximumRecordAgeInSeconds: 60, clock: () => Date.now() + 61_000,
      onFailure: async (failure) => { failures.push(failure); },
    });

    await mapping.drain(DRAIN);

    expect(calls).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.requestContext.approximateInvokeCount).toBe(0);
    expect(failures[0]?.responseContext).toBeUndefined();
    expect(failures[0]?.KinesisBatchInfo).toMatchObject({ startSequenceNumber: seq[0], endSequenceNumber: seq[1] });
  });

  it('stop() waits for the invocation in flight and checkpoints it', async () => {
    const { name } = await newStream();
    const seq = sequenceNumbers(await putRecords(local.kinesis, name, entries(3)));
    const checkpointStore = new RecordingCheckpointStore();
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const calls: string[][] = [];
    const mapping = startMapping({
      streamName: name, checkpointStore,
      handler: async (event) => {
        calls.push(sequenceNumbersOf(event));
        await gate;
      },
    });
    await eventually(() => calls.length === 1, 10_000, 'the invocation');

    let stopped = false;
    const stopping = mapping.stop().then(() => { stopped = true; });
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(calls).toEqual([seq]);
    expect(checkpointStore.saved).toEqual([seq[2]]);
  });

  it('resumes from file checkpoints after a restart: no duplicates, no gaps', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'esm-checkpoints-'));
    dirs.push(dir);
    const { name } = await newStream(2);
    const firstPuts = await putRecords(local.kinesis, name, entries(40, 'first'));
    const firstRun: string[] = [];
    let stopping: Promise<void> | undefined;
    const first = startMapping({
      streamName: name, batchSize: 5, checkpointStore: new FileCheckpointStore(dir),
      handler: async (event) => {
        firstRun.push(...sequenceNumbersOf(event));
        // Stopping from inside the handler: stop() must let this very invocation finish and checkpoint.
        if (firstRun.length >= 15) stopping ??= first.stop();
      },
    });
    await eventually(() => stopping !== undefined, 10_000, 'the first run to stop');
    await stopping;
    const secondPuts = await putRecords(local.kinesis, name, entries(10, 'second'));

    const secondRun: string[] = [];
    const second = startMapping({
      streamName: name, batchSize: 5, checkpointStore: new FileCheckpointStore(dir),
      handler: async (event) => { secondRun.push(...sequenceNumbersOf(event)); },
    });
    await second.drain(DRAIN);

    expect(firstRun.length).toBeLessThan(40);
    expect(secondRun.length).toBeGreaterThan(10);
    expect(sorted([...firstRun, ...secondRun])).toEqual(sorted(sequenceNumbers([...firstPuts, ...secondPuts])));
  });

  it('reads a child shard only after its parent is read to its end', async () => {
    const { name } = await newStream();
    const parentPuts = await putRecords(local.kinesis, name, entries(12, 'parent'));
    await local.kinesis.send(new SplitShardCommand({
      StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString(),
    }));
    await eventually(async () => (await local.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 10_000, 'the split');
    const childPuts = await putRecords(local.kinesis, name, entries(30, 'child'));
    const checkpointStore = new RecordingCheckpointStore();
    const { calls, handler } = recorder();
    const mapping = startMapping({ streamName: name, handler, checkpointStore, batchSize: 5 });

    await mapping.drain(DRAIN);

    const parent = new Set(sequenceNumbers(parentPuts));
    expect(new Set(childPuts.map((put) => put.shardId))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    const lastParentCall = calls.findLastIndex((call) => call.some((s) => parent.has(s)));
    const firstChildCall = calls.findIndex((call) => call.some((s) => !parent.has(s)));
    expect(lastParentCall).toBeLessThan(firstChildCall);
    expect(sorted(calls.flat())).toEqual(sorted(sequenceNumbers([...parentPuts, ...childPuts])));
    expect(checkpointStore.saved).toContain('SHARD_END');
  });

  it('follows a split while running from LATEST: the children are read from their first record', async () => {
    const { name } = await newStream();
    const { calls, handler } = recorder();
    const mapping = startMapping({ streamName: name, handler, startingPosition: 'LATEST' });
    await mapping.drain(DRAIN);
    const before = await putRecords(local.kinesis, name, entries(5, 'before'));
    await mapping.drain(DRAIN);

    await local.kinesis.send(new SplitShardCommand({
      StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString(),
    }));
    await eventually(async () => (await local.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
      .StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 10_000, 'the split');
    const after = await putRecords(local.kinesis, name, entries(20, 'after'));
    await mapping.drain(DRAIN);

    expect(calls.flat().slice(0, 5)).toEqual(sequenceNumbers(before));
    expect(sorted(calls.flat())).toEqual(sorted(sequenceNumbers([...before, ...after])));
  });

  it('survives throttling and connection errors from the Kinesis API', async () => {
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(5));
    let brokenCalls = 0;
    const kinesis = instrumentedClient((command) => {
      if (command === 'ListShardsCommand' && brokenCalls === 0) {
        brokenCalls += 1;
        throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
      }
      if (command === 'GetRecordsCommand' && brokenCalls < 4) {
        brokenCalls += 1;
        throw Object.assign(new Error('Rate exceeded for shard'), { name: 'ProvisionedThroughputExceededException' });
      }
    });
    const { calls, handler } = recorder();
    const mapping = startMapping({ streamName: name, kinesis, handler });

    await mapping.drain(DRAIN);

    expect(calls.flat()).toEqual(sequenceNumbers(puts));
    expect(brokenCalls).toBe(4);
    expect(logs.filter((entry) => entry.level === 'warn')).toHaveLength(4);
  });

  it('rejects drain() before start() and start() twice', async () => {
    const { name } = await newStream();
    const mapping = new KinesisEventSourceMapping({
      kinesis: local.kinesis, streamName: name, functionName: FUNCTION, handler: async () => undefined,
      checkpointStore: new InMemoryCheckpointStore(), startingPosition: 'LATEST', log,
    });
    mappings.push(mapping);

    await expect(mapping.drain()).rejects.toMatchObject({ code: 'ESM_NOT_RUNNING' });
    mapping.start();
    expect(() => mapping.start()).toThrow(expect.objectContaining({ code: 'ESM_ALREADY_STARTED' }));
  });
});
