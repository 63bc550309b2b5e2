import { createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCachedActions, type KinesaliteActions, type KinesaliteDbFunctions, type KinesaliteStore } from './kinesalite-read-cache';

const require = createRequire(import.meta.url);
type Action = (store: KinesaliteStore, data: Record<string, unknown>, cb: (error: unknown, data?: unknown) => void) => void;
const kinesaliteDb = require('kinesalite/db') as KinesaliteDbFunctions & { create(options: object): KinesaliteStore };
const action = (name: string): Action => require(`kinesalite/actions/${name}`) as Action;
const originals: KinesaliteActions = {
  getRecords: action('getRecords'), putRecord: action('putRecord'), putRecords: action('putRecords'),
  createStream: action('createStream'), deleteStream: action('deleteStream'),
};
const getShardIterator = action('getShardIterator');
const splitShard = action('splitShard');

interface GetRecordsOutput {
  MillisBehindLatest: number;
  NextShardIterator?: string;
  Records: { SequenceNumber: string; PartitionKey: string; Data: string; ApproximateArrivalTimestamp: number }[];
}

const call = <T>(fn: Action, store: KinesaliteStore, data: Record<string, unknown>): Promise<T> =>
  new Promise((resolve, reject) => fn(store, data, (error, result) => (error ? reject(error as Error) : resolve(result as T))));

/** What an iterator points at (its creation time left out). */
function iteratorTarget(iterator: string | undefined): string | undefined {
  if (iterator === undefined) return undefined;
  const decipher = createDecipheriv('aes-256-cbc', kinesaliteDb.ITERATOR_PWD_KEY, kinesaliteDb.ITERATOR_PWD_IV);
  const pieces = Buffer.concat([decipher.update(Buffer.from(iterator, 'base64').subarray(8)), decipher.final()]).toString('utf8').split('/');
  return pieces.slice(1, 4).join('/');
}

/** kinesalite's store in memory with a stream of `shards` shards, and a clock the test moves. */
async function streamStore(shards: number, cached: KinesaliteActions): Promise<{ store: KinesaliteStore; clock: { now: number } }> {
  const clock = { now: Date.UTC(2026, 11, 3, 12) };
  vi.spyOn(Date, 'now').mockImplementation(() => clock.now);
  const store = kinesaliteDb.create({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  await call(cached.createStream, store, { StreamName: 'telemetry', ShardCount: shards });
  for (;;) {
    const stream = await new Promise<{ StreamStatus: string }>((resolve, reject) => store.getStream('telemetry', (error, value) => (error ? reject(error as Error) : resolve(value as unknown as { StreamStatus: string }))));
    if (stream.StreamStatus === 'ACTIVE') return { store, clock };
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * The store with kinesalite's clean-up of expired records turned off. Its GetRecords deletes the expired records a
 * read met after answering, so a second read of the same iterator would see another shard than the first.
 */
function keepingExpired(store: KinesaliteStore): KinesaliteStore {
  return Object.create(store, {
    getStreamDb: {
      value: (name: string) => {
        const streamDb = store.getStreamDb(name) as ReturnType<KinesaliteStore['getStreamDb']> & { createReadStream(options: object): unknown };
        return { createReadStream: (options: object) => streamDb.createReadStream(options), batch: (_ops: unknown, cb: () => void) => cb() };
      },
    },
  }) as KinesaliteStore;
}
const shardId = (ix: number): string => `shardId-${String(ix).padStart(12, '0')}`;

type Step =
  | { kind: 'put'; keys: string[]; bytes: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'read'; shard: number; type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; pick: number; limit: number | undefined };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), keys: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 20 }), bytes: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constant(25 * 3_600_000)) }),
  fc.record({
    kind: fc.constant('read' as const),
    shard: fc.integer({ min: 0, max: 2 }),
    type: fc.constantFrom('TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'),
    pick: fc.nat(),
    limit: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  }),
);

describe('kinesalite GetRecords from the in-memory tails', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers every read as kinesalite does from LevelDB: records, next iterator, retention, eviction', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.constantFrom(2_000, 1 << 30), async (steps, budgetBytes) => {
      const cached = readCachedActions(originals, kinesaliteDb, { budgetBytes });
      const { store, clock } = await streamStore(3, cached);
      const written: { shard: number; sequenceNumber: string; at: number }[] = [];
      try {
        for (const current of steps) {
          if (current.kind === 'tick') clock.now += current.ms;
          if (current.kind === 'put') {
            const Records = current.keys.map((PartitionKey, i) => ({ PartitionKey, Data: Buffer.alloc(current.bytes + i, i).toString('base64') }));
            const out = await call<{ Records: { ShardId: string; SequenceNumber: string }[] }>(cached.putRecords, store, { StreamName: 'telemetry', Records });
            for (const record of out.Records) written.push({ shard: Number.parseInt(record.ShardId.split('-')[1]!, 10), sequenceNumber: record.SequenceNumber, at: clock.now });
          }
          if (current.kind === 'read') {
            const ofShard = written.filter((record) => record.shard === current.shard);
            const bySequence = current.type === 'AT_SEQUENCE_NUMBER' || current.type === 'AFTER_SEQUENCE_NUMBER';
            if (bySequence && ofShard.length === 0) continue;
            const { ShardIterator } = await call<{ ShardIterator: string }>(getShardIterator, store, {
              StreamName: 'telemetry', ShardId: shardId(current.shard), ShardIteratorType: current.type,
              ...(bySequence ? { StartingSequenceNumber: ofShard[current.pick % ofShard.length]!.sequenceNumber } : {}),
            });
            const request = { ShardIterator, ...(current.limit === undefined ? {} : { Limit: current.limit }) };
            const fromTails = await call<GetRecordsOutput>(cached.getRecords, keepingExpired(store), request);
            const fromLevelDb = await call<GetRecordsOutput>(originals.getRecords, keepingExpired(store), request);
            expect(fromTails.Records).toEqual(fromLevelDb.Records);
            expect(fromTails.MillisBehindLatest).toBe(fromLevelDb.MillisBehindLatest);
            expect(iteratorTarget(fromTails.NextShardIterator)).toBe(iteratorTarget(fromLevelDb.NextShardIterator));
          }
        }
      } finally {
        vi.restoreAllMocks();
      }
    }), { numRuns: 60, examples: [
      // An expired record before a live one, read one at a time from the shard's start.
      [[{ kind: 'put', keys: ['*', ' '], bytes: 0 }, { kind: 'tick', ms: 90_000_000 }, { kind: 'put', keys: ['*', ' '], bytes: 0 }, { kind: 'read', shard: 0, type: 'TRIM_HORIZON', pick: 0, limit: 1 }], 2_000],
    ] });
  });

  it('serves a reader following the shard from memory, and one behind the tail from LevelDB', async () => {
    const calls = { leveldb: 0 };
    const counting: KinesaliteActions = { ...originals, getRecords: (store, data, cb) => { calls.leveldb += 1; originals.getRecords(store, data, cb); } };
    // A budget of about 40 small records for the one shard.
    const cached = readCachedActions(counting, kinesaliteDb, { budgetBytes: 40 * 200 });
    const { store } = await streamStore(1, cached);
    const put = (from: number, count: number): Promise<{ Records: { SequenceNumber: string }[] }> => call(cached.putRecords, store, {
      StreamName: 'telemetry', Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: `u${from + i}`, Data: Buffer.from(`r${from + i}`).toString('base64') })),
    });
    const first = await put(0, 10);
    const { ShardIterator } = await call<{ ShardIterator: string }>(getShardIterator, store, {
      StreamName: 'telemetry', ShardId: shardId(0), ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: first.Records[0]!.SequenceNumber,
    });
    const read = await call<GetRecordsOutput>(cached.getRecords, store, { ShardIterator });
    expect(read.Records.map((record) => Buffer.from(record.Data, 'base64').toString())).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(calls.leveldb).toBe(0);

    // 100 more records push the first ones out of the tail: a reader still at the start is answered by LevelDB.
    await put(10, 100);
    const behind = await call<GetRecordsOutput>(cached.getRecords, store, { ShardIterator });
    expect(calls.leveldb).toBe(1);
    expect(behind.Records).toHaveLength(110);
    const next = await call<GetRecordsOutput>(cached.getRecords, store, { ShardIterator: read.NextShardIterator });
    expect(calls.leveldb).toBe(2);
    expect(next.Records).toHaveLength(100);
  });

  it('ends a closed shard as kinesalite does, and forgets a deleted stream', async () => {
    const cached = readCachedActions(originals, kinesaliteDb);
    const { store, clock } = await streamStore(1, cached);
    const out = await call<{ SequenceNumber: string }>(cached.putRecord, store, { StreamName: 'telemetry', PartitionKey: 'Shadowfax', Data: Buffer.from('one').toString('base64') });
    clock.now += 1_000;
    await call(splitShard, store, { StreamName: 'telemetry', ShardToSplit: shardId(0), NewStartingHashKey: '170141183460469231731687303715884105728' });
    for (;;) {
      const status = await new Promise<string>((resolve) => store.getStream('telemetry', (_error, stream) => resolve((stream as unknown as { StreamStatus: string }).StreamStatus)));
      if (status === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    clock.now += 1_000;
    const { ShardIterator } = await call<{ ShardIterator: string }>(getShardIterator, store, {
      StreamName: 'telemetry', ShardId: shardId(0), ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: out.SequenceNumber,
    });
    const fromTails = await call<GetRecordsOutput>(cached.getRecords, store, { ShardIterator });
    const fromLevelDb = await call<GetRecordsOutput>(originals.getRecords, store, { ShardIterator });
    expect(fromTails).toEqual(fromLevelDb);

    await call(cached.deleteStream, store, { StreamName: 'telemetry' });
    while (await new Promise<boolean>((resolve) => store.getStream('telemetry', (error) => resolve(!error)))) await new Promise((resolve) => setTimeout(resolve, 1));
    await expect(call(cached.getRecords, store, { ShardIterator })).rejects.toMatchObject({ body: { __type: 'ResourceNotFoundException' } });
  });
});
