import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters/clients';
import { rawGetRecords } from '@wildrydes/local-aws';
import { eventually, useLocalRuntime } from '@wildrydes/local-aws/testing';
import { KinesisStreamReader, type ReadOptions, type StreamRecord } from '@wildrydes/adapters/kinesis';

let streams = 0;
const utf8 = new TextEncoder();
const text = (record: StreamRecord): string => new TextDecoder().decode(record.data);

const local = useLocalRuntime();

async function activeStream(shardCount: number): Promise<string> {
  const streamName = `reader-${process.pid}-${++streams}`;
  await local.clients.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  await waitActive(streamName);
  return streamName;
}

async function waitActive(streamName: string): Promise<void> {
  await eventually(async () => {
    const out = await local.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, { what: `${streamName} active` });
}

async function put(streamName: string, records: readonly { key: string; value: string }[]): Promise<void> {
  const out = await local.clients.kinesis.send(new PutRecordsCommand({
    StreamName: streamName,
    Records: records.map(({ key, value }) => ({ PartitionKey: key, Data: utf8.encode(value) })),
  }));
  expect(out.FailedRecordCount ?? 0).toBe(0);
}

/** Runs a read in the background, collecting what it yields, until stopped. */
function collect(reader: KinesisStreamReader, options: Omit<ReadOptions, 'signal'>) {
  const abort = new AbortController();
  const records: StreamRecord[] = [];
  const done = (async () => {
    for await (const record of reader.read({ ...options, signal: abort.signal })) records.push(record);
  })();
  return {
    records,
    waitFor: (count: number) => eventually(() => records.length >= count, { timeoutMs: 15_000, what: `${count} records` }),
    stop: async () => {
      abort.abort();
      await done;
      return records;
    },
  };
}

/** A reader whose sleeps report each finished poll, so a test knows its shard iterators exist. */
function observedReader(streamName: string) {
  let polls = 0;
  const reader = new KinesisStreamReader(local.clients.kinesis, streamName, {
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        polls += 1;
        const timer = setTimeout(resolve, Math.min(ms, 20));
        signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      }),
  });
  return { reader, polled: () => eventually(() => polls > 0, { what: 'first poll' }) };
}

describe('KinesisStreamReader on kinesalite', () => {
  it('reads every shard from TRIM_HORIZON, in order per partition key, with each record\'s position', async () => {
    // Prepare
    const streamName = await activeStream(4);
    const written = Array.from({ length: 300 }, (_, i) => ({ key: `Unicorn-${i % 20}`, value: `{"seq":${i}}` }));
    await put(streamName, written.slice(0, 150));
    await put(streamName, written.slice(150));
    const run = collect(new KinesisStreamReader(local.clients.kinesis, streamName, { recordsPerCall: 40 }), { from: 'TRIM_HORIZON', pollIntervalMs: 20 });

    // Act
    await run.waitFor(300);
    const records = await run.stop();

    // Assess
    expect(records).toHaveLength(300);
    expect(new Set(records.map((record) => record.shardId)).size).toBe(4);
    for (let u = 0; u < 20; u++) {
      const key = `Unicorn-${u}`;
      expect(records.filter((r) => r.partitionKey === key).map(text)).toEqual(written.filter((w) => w.key === key).map((w) => w.value));
    }
    expect(records[0]).toEqual({
      shardId: expect.stringMatching(/^shardId-/),
      sequenceNumber: expect.stringMatching(/^\d+$/),
      partitionKey: expect.any(String),
      data: expect.any(Uint8Array),
      approximateArrivalTimestamp: expect.any(Date),
    });
  });

  it('reads the same records through another GetRecords (the local stack\'s raw reader) as through the SDK', async () => {
    // Prepare
    const streamName = await activeStream(2);
    const written = Array.from({ length: 120 }, (_, i) => ({ key: `Unicorn-${i % 7}`, value: `{"seq":${i},"é":"ü"}` }));
    await put(streamName, written);
    const readRaw = rawGetRecords(local.runtime.endpoints.kinesis);
    let rawCalls = 0;
    const viaRaw = collect(new KinesisStreamReader(local.clients.kinesis, streamName, {
      recordsPerCall: 25,
      getRecords: async (iterator, limit, signal) => {
        rawCalls += 1;
        return readRaw(iterator, limit, signal ?? new AbortController().signal);
      },
    }), { from: 'TRIM_HORIZON', pollIntervalMs: 20 });
    const viaSdk = collect(new KinesisStreamReader(local.clients.kinesis, streamName, { recordsPerCall: 25 }), { from: 'TRIM_HORIZON', pollIntervalMs: 20 });

    // Act
    await viaRaw.waitFor(120);
    await viaSdk.waitFor(120);
    const [raw, sdk] = [await viaRaw.stop(), await viaSdk.stop()];

    // Assess
    expect(rawCalls).toBeGreaterThan(0);
    const comparable = (records: StreamRecord[]) => records
      .map((r) => ({ ...r, data: text(r), approximateArrivalTimestamp: r.approximateArrivalTimestamp.getTime() }))
      .sort((a, b) => a.sequenceNumber.localeCompare(b.sequenceNumber));
    expect(comparable(raw)).toEqual(comparable(sdk));
    expect(raw).toHaveLength(120);
  });

  it('from LATEST, reads only what was written after it started', async () => {
    // Prepare
    const streamName = await activeStream(2);
    await put(streamName, [{ key: 'Old', value: 'before' }]);
    const { reader, polled } = observedReader(streamName);
    const run = collect(reader, { from: 'LATEST', pollIntervalMs: 20 });
    await polled();

    // Act
    await put(streamName, [{ key: 'New', value: 'after-1' }, { key: 'New', value: 'after-2' }]);
    await run.waitFor(2);
    const records = await run.stop();

    // Assess
    expect(records.map(text)).toEqual(['after-1', 'after-2']);
  });

  it('from a timestamp, reads what arrived at or after it', async () => {
    // Prepare
    const streamName = await activeStream(2);
    await put(streamName, [{ key: 'A', value: 'early' }]);
    const from = new Date(Date.now() + 5);
    await eventually(() => Date.now() > from.getTime() + 5, { intervalMs: 2, what: 'the clock to pass the timestamp' });
    await put(streamName, [{ key: 'A', value: 'late' }]);
    const run = collect(new KinesisStreamReader(local.clients.kinesis, streamName), { from: { timestamp: from }, pollIntervalMs: 20 });

    // Act
    await run.waitFor(1);
    const records = await run.stop();

    // Assess
    expect(records.map(text)).toEqual(['late']);
  });

  it('stops cleanly and promptly when aborted in a long poll interval', async () => {
    // Prepare: a client of its own, counting GetRecords calls, so the abort lands after a poll.
    const streamName = await activeStream(1);
    const own = createAwsClients(local.runtime.endpoints);
    let getRecordsCalls = 0;
    own.kinesis.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetRecordsCommand') getRecordsCalls += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const abort = new AbortController();
    const reading = (async () => {
      const records: StreamRecord[] = [];
      const reader = new KinesisStreamReader(own.kinesis, streamName);
      for await (const record of reader.read({ from: 'LATEST', pollIntervalMs: 60_000, signal: abort.signal })) records.push(record);
      return records;
    })();
    await eventually(() => getRecordsCalls > 0, { what: 'a GetRecords call' });

    // Act
    const aborted = Date.now();
    abort.abort();
    const records = await reading;
    own.destroy();

    // Assess
    expect(records).toEqual([]);
    expect(Date.now() - aborted).toBeLessThan(1_000);
  });

  it('follows a split: the children are read after the parent, so a key stays in order', async () => {
    // Prepare
    const streamName = await activeStream(1);
    const values = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ key: 'Shadowfax', value: `{"seq":${from + i}}` }));
    await put(streamName, values(0, 50));
    const run = collect(new KinesisStreamReader(local.clients.kinesis, streamName), { from: 'TRIM_HORIZON', pollIntervalMs: 20 });
    await run.waitFor(50);

    // Act
    const parent = (await local.clients.kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards?.[0]?.ShardId as string;
    await local.clients.kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: parent, NewStartingHashKey: (2n ** 127n).toString() }));
    await waitActive(streamName);
    await put(streamName, values(50, 100));
    await run.waitFor(100);
    const records = await run.stop();

    // Assess
    expect(records.map(text)).toEqual(values(0, 100).map((v) => v.value));
    expect(records.slice(0, 50).every((r) => r.shardId === parent)).toBe(true);
    expect(records.slice(50).every((r) => r.shardId !== parent)).toBe(true);
  });
});
