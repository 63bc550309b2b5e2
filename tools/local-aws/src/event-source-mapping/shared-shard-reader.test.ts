import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventSourceMappingLog, KinesisEventSourceMappingOptions } from './event-source-mapping.options';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import { KinesisEventSourceMapping } from './kinesis-event-source-mapping';
import { createLocalKinesisClient } from './local-kinesis-client';
import { SharedShardReader } from './shared-shard-reader';
import {
  createStream, eventually, putRecords, startKinesalite, type LocalKinesis, type PutEntry, type PutResult,
} from './kinesalite.test-support';

const DRAIN = { timeoutMs: 15_000 };

let local: LocalKinesis;
let streams = 0;
const mappings: KinesisEventSourceMapping[] = [];
const clients: KinesisClient[] = [];
const log: EventSourceMappingLog = () => {};

beforeAll(async () => {
  local = await startKinesalite();
});

afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop()));
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await local?.close();
});

async function newStream(shardCount: number): Promise<string> {
  const name = `shared-reader-test-${++streams}`;
  await createStream(local.kinesis, name, shardCount);
  return name;
}

/** A client of its own that counts the GetRecords calls sent through it. */
function countingClient(): { kinesis: KinesisClient; getRecords: () => number } {
  const kinesis = createLocalKinesisClient(local.endpoint);
  clients.push(kinesis);
  let calls = 0;
  kinesis.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'GetRecordsCommand') calls += 1;
    return next(args);
  }, { step: 'initialize', name: 'countGetRecords' });
  return { kinesis, getRecords: () => calls };
}

type TestOptions = Partial<KinesisEventSourceMappingOptions> & Pick<KinesisEventSourceMappingOptions, 'streamName' | 'functionName'>;

function startMapping(options: TestOptions): KinesisEventSourceMapping {
  const mapping = new KinesisEventSourceMapping({
    kinesis: local.kinesis,
    handler: async () => undefined,
    checkpointStore: new InMemoryCheckpointStore(),
    startingPosition: 'TRIM_HORIZON',
    pollIntervalMs: 100,
    maxBackoffMs: 20,
    shardDiscoveryIntervalMs: 100,
    log,
    ...options,
  });
  mappings.push(mapping);
  mapping.start();
  return mapping;
}

/** The batches a mapping was invoked with, as sequence numbers, per shard. */
function recorder(): { batches: Map<string, string[][]>; handler: (event: KinesisStreamEvent) => Promise<void> } {
  const batches = new Map<string, string[][]>();
  return {
    batches,
    handler: async (event) => {
      const shardId = event.Records[0]?.eventID.split(':')[0] ?? '';
      batches.set(shardId, [...(batches.get(shardId) ?? []), event.Records.map((record) => record.kinesis.sequenceNumber)]);
    },
  };
}

/**
 * Two mappings of batches of 10 sharing a reader with a 20-record buffer: a fast one, and a slow one whose handler
 * waits until `release()`.
 */
function fastAndHeldBack(streamName: string, readerOptions: { holdMs: number }): {
  fast: ReturnType<typeof recorder> & { mapping: KinesisEventSourceMapping };
  slow: ReturnType<typeof recorder> & { mapping: KinesisEventSourceMapping };
  release: () => void;
} {
  const reader = new SharedShardReader({ kinesis: local.kinesis, streamName, bufferRecords: 20, pollIntervalMs: 20, ...readerOptions });
  let release = (): void => {};
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const fast = recorder();
  const slow = recorder();
  return {
    fast: { ...fast, mapping: startMapping({ streamName, functionName: 'fast', batchSize: 10, handler: fast.handler, shardReader: reader }) },
    slow: {
      ...slow,
      mapping: startMapping({
        streamName, functionName: 'slow', batchSize: 10, shardReader: reader,
        handler: async (event) => {
          await gate;
          await slow.handler(event);
        },
      }),
    },
    release,
  };
}

const entries = (count: number, prefix = 'reading'): PutEntry[] => Array.from({ length: count }, (_, i) => ({
  partitionKey: `unicorn-${i % 40}`, data: JSON.stringify({ id: `${prefix}-${i}` }),
}));
const byShard = (puts: readonly PutResult[]): Map<string, string[]> => {
  const shards = new Map<string, string[]>();
  for (const put of puts) shards.set(put.shardId, [...(shards.get(put.shardId) ?? []), put.sequenceNumber]);
  return shards;
};

describe('SharedShardReader against kinesalite', () => {
  it('gives three mappings the very batches they get alone, with far fewer GetRecords calls', async () => {
    const streamName = await newStream(2);
    const puts = await putRecords(local.kinesis, streamName, entries(400));
    const alone = countingClient();
    const together = countingClient();
    const reader = new SharedShardReader({ kinesis: together.kinesis, streamName, pollIntervalMs: 100 });
    const batchSizes = [7, 10, 25];
    const separate = batchSizes.map(() => recorder());
    const shared = batchSizes.map(() => recorder());
    // Both sets run side by side on the same stream, so they poll for the same time.
    const started = batchSizes.flatMap((batchSize, i) => [
      startMapping({ streamName, functionName: `alone-${batchSize}`, kinesis: alone.kinesis, batchSize, handler: separate[i]!.handler }),
      startMapping({
        streamName, functionName: `shared-${batchSize}`, kinesis: together.kinesis, batchSize, handler: shared[i]!.handler,
        shardReader: reader,
      }),
    ]);

    await Promise.all(started.map((mapping) => mapping.drain(DRAIN)));

    batchSizes.forEach((batchSize, i) => {
      expect(shared[i]!.batches).toEqual(separate[i]!.batches);
      for (const [shardId, sequenceNumbers] of byShard(puts)) {
        expect(separate[i]!.batches.get(shardId)?.flat()).toEqual(sequenceNumbers);
        expect(separate[i]!.batches.get(shardId)?.slice(0, -1).every((batch) => batch.length === batchSize)).toBe(true);
      }
    });
    expect(together.getRecords() * 3).toBeLessThan(alone.getRecords());
  });

  it('keeps a slow mapping exact when it falls out of a small buffer and reads by itself', async () => {
    const streamName = await newStream(1);
    const puts = await putRecords(local.kinesis, streamName, entries(120));
    const { fast, slow, release } = fastAndHeldBack(streamName, { holdMs: 50 });
    await fast.mapping.drain(DRAIN);
    release();
    await slow.mapping.drain(DRAIN);
    const later = await putRecords(local.kinesis, streamName, entries(15, 'later'));
    await Promise.all([fast.mapping.drain(DRAIN), slow.mapping.drain(DRAIN)]);

    const expected = [...puts, ...later].map((put) => put.sequenceNumber);
    expect([...fast.batches.values()].flat(2)).toEqual(expected);
    expect([...slow.batches.values()].flat(2)).toEqual(expected);
  });

  it('never holds a mapping at the tip back for a slower one: the slower one reads by itself, exactly', async () => {
    const streamName = await newStream(1);
    const puts = await putRecords(local.kinesis, streamName, entries(120));
    // The slow mapping would hold the buffer for a minute: the fast one must not wait for that.
    const { fast, slow, release } = fastAndHeldBack(streamName, { holdMs: 60_000 });
    await fast.mapping.drain({ timeoutMs: 5_000 });
    expect(slow.batches.size).toBe(0);
    release();
    await slow.mapping.drain(DRAIN);

    const expected = puts.map((put) => put.sequenceNumber);
    expect([...fast.batches.values()].flat(2)).toEqual(expected);
    expect([...slow.batches.values()].flat(2)).toEqual(expected);
  });

  it('serves a mapping that starts later at the buffer, and hands over new records to all', async () => {
    const streamName = await newStream(1);
    const first = await putRecords(local.kinesis, streamName, entries(30));
    const together = countingClient();
    const reader = new SharedShardReader({ kinesis: together.kinesis, streamName, pollIntervalMs: 20 });
    const early = recorder();
    const late = recorder();
    const earlyMapping = startMapping({
      streamName, functionName: 'early', kinesis: together.kinesis, batchSize: 100, handler: early.handler, shardReader: reader,
    });
    await earlyMapping.drain(DRAIN);
    const lateMapping = startMapping({
      streamName, functionName: 'late', kinesis: together.kinesis, batchSize: 100, handler: late.handler, shardReader: reader,
    });
    await lateMapping.drain(DRAIN);
    const second = await putRecords(local.kinesis, streamName, entries(5, 'second'));
    await eventually(() => [early, late].every((mapping) => [...mapping.batches.values()].flat(2).length === 35), 10_000,
      'both mappings to see the new records');

    const expected = [...first, ...second].map((put) => put.sequenceNumber);
    expect([...early.batches.values()].flat(2)).toEqual(expected);
    expect([...late.batches.values()].flat(2)).toEqual(expected);
  });

  it('is refused for another stream or another client', async () => {
    const streamName = await newStream(1);
    const other = countingClient();
    const valid = { streamName, functionName: 'f', checkpointStore: new InMemoryCheckpointStore(), startingPosition: 'LATEST' as const, handler: async () => undefined };

    expect(() => new KinesisEventSourceMapping({
      ...valid, kinesis: local.kinesis, shardReader: new SharedShardReader({ kinesis: local.kinesis, streamName: 'elsewhere' }),
    })).toThrow(expect.objectContaining({ code: 'ESM_INVALID_CONFIGURATION' }));
    expect(() => new KinesisEventSourceMapping({
      ...valid, kinesis: local.kinesis, shardReader: new SharedShardReader({ kinesis: other.kinesis, streamName }),
    })).toThrow(expect.objectContaining({ code: 'ESM_INVALID_CONFIGURATION' }));
  });
});
