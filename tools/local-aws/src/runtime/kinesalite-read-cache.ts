/**
 * kinesalite's GetRecords served from memory for the records it wrote since it started.
 *
 * kinesalite keeps every record in LevelDB and answers each GetRecords with a LevelDB range read through
 * subleveldown, encoding-down and a `lazy` stream: profiled under `npm start` with 4,500 unicorns, that read path
 * was about a quarter of the emulator host's CPU, more than its writes. Yet a consumer reads what was written
 * seconds ago. So every record a PutRecord or PutRecords wrote is also appended, once its LevelDB batch succeeded,
 * to an in-memory tail of its shard; a GetRecords whose iterator starts inside a tail is answered from it, exactly
 * as kinesalite's own action would answer from LevelDB (same records, same next iterator, same retention filter,
 * same end of a closed shard). Everything else — an iterator before the tail (records from before a restart, or
 * evicted), an error of any kind, a stream unknown — goes to kinesalite's action unchanged.
 *
 * Why the tail is complete: kinesalite writes a stream's records under a per-stream lock, assigning sequence numbers
 * in order and calling back before the next write starts, so a shard's tail holds every record with a sequence
 * number from its first entry on (or after the last one evicted). Tails are dropped when a stream of that name is
 * created or deleted, and are bounded in bytes: the oldest records of a shard are evicted once the tails together
 * pass the budget and that shard holds more than its share. One thing differs, and only in what is left on disk:
 * kinesalite's read deletes the expired records it met (past the stream's retention) from LevelDB; a read served
 * here skips them the same way but leaves them for the next read LevelDB answers.
 */
import { createDecipheriv } from 'node:crypto';

type Callback = (error: unknown, data?: unknown) => void;
type Action = (store: KinesaliteStore, data: Record<string, unknown>, cb: Callback) => void;

interface SequenceParts { seqTime?: number }
interface StreamShard {
  ShardId: string;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}
interface StreamDescription { RetentionPeriodHours: number; Shards: StreamShard[] }

/** The part of a kinesalite store (`db.create`) read here. */
export interface KinesaliteStore {
  readonly db: object;
  getStreamDb(name: string): { batch(ops: StoredWrite[], options: unknown, cb: Callback): void; put(key: string, value: unknown, cb: Callback): void };
  getStream(name: string, cb: (error: unknown, stream?: StreamDescription) => void): void;
}

/** The part of kinesalite's `db` module used here (with the fast sequence functions when installed). */
export interface KinesaliteDbFunctions {
  parseSequence(seq: string): SequenceParts;
  incrementSequence(parts: SequenceParts, seqTime?: number | null): string;
  createShardIterator(streamName: string, shardId: string, seq: string): string;
  ITERATOR_PWD_KEY: Buffer;
  ITERATOR_PWD_IV: Buffer;
}

export interface KinesaliteActions {
  getRecords: Action;
  putRecord: Action;
  putRecords: Action;
  createStream: Action;
  deleteStream: Action;
}

export interface ReadCacheOptions {
  /** What the tails of all shards may hold together, in estimated bytes. Default 256 MiB. */
  readonly budgetBytes?: number;
}

interface StoredWrite { readonly key: string; readonly value: unknown }
interface StoredValue { readonly PartitionKey: string; readonly Data: string; readonly ApproximateArrivalTimestamp: number }
interface CachedRecord { readonly sequenceNumber: string; readonly seqTime: number; readonly value: StoredValue; readonly bytes: number }

/** kinesalite's iterators expire after 5 minutes; such an iterator goes to its action for the error. */
const ITERATOR_LIFETIME_MS = 300_000;
const DEFAULT_LIMIT = 10_000;
const DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;
/** An estimate of a cached record's overhead beyond its strings (objects, array slot, sequence number). */
const RECORD_OVERHEAD_BYTES = 160;

/** One shard's records from `floor` on, in sequence order. */
class ShardTail {
  private records: CachedRecord[] = [];
  private head = 0;
  bytes = 0;
  /** Sequence numbers above this one (or from it, while nothing was evicted) are all here. */
  private floor: string | undefined;
  private floorInclusive = true;

  get size(): number {
    return this.records.length - this.head;
  }

  append(record: CachedRecord): void {
    if (this.floor === undefined) this.floor = record.sequenceNumber;
    this.records.push(record);
    this.bytes += record.bytes;
  }

  /** Whether every record at or after `sequenceNumber` is here (LevelDB compares the keys as strings, so do we). */
  covers(sequenceNumber: string): boolean {
    if (this.floor === undefined) return false;
    return this.floorInclusive ? sequenceNumber >= this.floor : sequenceNumber > this.floor;
  }

  /** Up to `limit` records from the first at or after `sequenceNumber`. */
  from(sequenceNumber: string, limit: number): CachedRecord[] {
    let low = this.head;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.sequenceNumber < sequenceNumber) low = middle + 1;
      else high = middle;
    }
    return this.records.slice(low, low + limit);
  }

  evictTo(bytes: number): void {
    while (this.bytes > bytes && this.size > 1) {
      const evicted = this.records[this.head]!;
      this.head += 1;
      this.bytes -= evicted.bytes;
      this.floor = evicted.sequenceNumber;
      this.floorInclusive = false;
    }
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }
}

/** The tails of one kinesalite store, by stream and shard index. */
class StoreTails {
  private readonly streams = new Map<string, Map<number, ShardTail>>();
  private bytes = 0;
  private shardCount = 0;

  constructor(private readonly budgetBytes: number) {}

  tail(streamName: string, shardIx: number): ShardTail | undefined {
    return this.streams.get(streamName)?.get(shardIx);
  }

  append(streamName: string, shardIx: number, record: CachedRecord): void {
    let shards = this.streams.get(streamName);
    if (shards === undefined) this.streams.set(streamName, (shards = new Map()));
    let tail = shards.get(shardIx);
    if (tail === undefined) {
      shards.set(shardIx, (tail = new ShardTail()));
      this.shardCount += 1;
    }
    tail.append(record);
    this.bytes += record.bytes;
    if (this.bytes > this.budgetBytes) {
      const before = tail.bytes;
      tail.evictTo(Math.floor(this.budgetBytes / this.shardCount));
      this.bytes -= before - tail.bytes;
    }
  }

  drop(streamName: string): void {
    const shards = this.streams.get(streamName);
    if (shards === undefined) return;
    for (const tail of shards.values()) this.bytes -= tail.bytes;
    this.shardCount -= shards.size;
    this.streams.delete(streamName);
  }
}

interface IteratorTarget { readonly iteratorTime: number; readonly streamName: string; readonly shardId: string; readonly shardIx: number; readonly seqNo: string }

/** kinesalite's iterator, decoded as its GetRecords decodes it; undefined for anything it would refuse. */
function decodeIterator(db: KinesaliteDbFunctions, iterator: unknown, now: number): IteratorTarget | undefined {
  if (typeof iterator !== 'string') return undefined;
  const buffer = Buffer.from(iterator, 'base64');
  if (buffer.length < 152 || buffer.length > 280 || buffer.toString('base64') !== iterator) return undefined;
  if (buffer.subarray(0, 8).toString('hex') !== '0000000000000001') return undefined;
  let pieces: string[];
  try {
    const decipher = createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
    pieces = Buffer.concat([decipher.update(buffer.subarray(8)), decipher.final()]).toString('utf8').split('/');
  } catch {
    return undefined;
  }
  if (pieces.length !== 5) return undefined;
  const [time, streamName, shardId, seqNo] = pieces as [string, string, string, string];
  const iteratorTime = Number(time);
  const shardIx = Number.parseInt(shardId.split('-')[1] ?? '', 10);
  if (!/^shardId-\d{12}$/.test(shardId) || !(shardIx >= 0 && shardIx < 2_147_483_648)) return undefined;
  if (!(iteratorTime > 0 && iteratorTime <= now) || now - iteratorTime > ITERATOR_LIFETIME_MS) return undefined;
  if (streamName.length === 0 || streamName.length > 128) return undefined;
  return { iteratorTime, streamName, shardId, shardIx, seqNo };
}

/**
 * kinesalite's record-writing, GetRecords and stream lifecycle actions, wrapped to keep and serve the tails. The
 * originals are passed in, so a test can compare the two GetRecords on one store without patching kinesalite.
 */
export function readCachedActions(original: KinesaliteActions, db: KinesaliteDbFunctions, options: ReadCacheOptions = {}): KinesaliteActions {
  const budgetBytes = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  const byStore = new WeakMap<object, StoreTails>();
  const tailsOf = (store: KinesaliteStore): StoreTails => {
    let tails = byStore.get(store.db);
    if (tails === undefined) byStore.set(store.db, (tails = new StoreTails(budgetBytes)));
    return tails;
  };

  /**
   * The store as the write actions see it, except that the records they put into a stream's LevelDB are noted:
   * the tail then holds exactly the keys and values LevelDB holds (the arrival time, for one, is not in the
   * sequence number to the millisecond).
   */
  const noting = (store: KinesaliteStore, written: StoredWrite[]): KinesaliteStore => Object.create(store, {
    getStreamDb: {
      value: (name: string) => {
        const streamDb = store.getStreamDb(name);
        return {
          batch: (ops: StoredWrite[], batchOptions: unknown, cb: Callback) => {
            written.push(...ops);
            streamDb.batch(ops, batchOptions, cb);
          },
          put: (key: string, value: unknown, cb: Callback) => {
            written.push({ key, value });
            streamDb.put(key, value, cb);
          },
        };
      },
    },
  }) as KinesaliteStore;

  const remember = (store: KinesaliteStore, streamName: unknown, written: readonly StoredWrite[]): void => {
    if (typeof streamName !== 'string') return;
    const tails = tailsOf(store);
    for (const { key, value } of written) {
      const [shardHex, sequenceNumber] = key.split('/');
      // LevelDB keeps values as JSON: a CBOR request's Data (a Buffer) comes back as the JSON made of it.
      const stored = (typeof (value as StoredValue).Data === 'string' ? value : JSON.parse(JSON.stringify(value))) as StoredValue;
      tails.append(streamName, Number.parseInt(shardHex!, 16), {
        sequenceNumber: sequenceNumber!,
        seqTime: db.parseSequence(sequenceNumber!).seqTime ?? 0,
        value: stored,
        bytes: RECORD_OVERHEAD_BYTES + 2 * (stored.PartitionKey.length + (typeof stored.Data === 'string' ? stored.Data.length : JSON.stringify(stored.Data).length)),
      });
    }
  };

  const writing = (action: Action): Action => (store, data, cb) => {
    const written: StoredWrite[] = [];
    action(noting(store, written), data, (error, result) => {
      if (!error) remember(store, data.StreamName, written);
      cb(error, result);
    });
  };

  const forgetting = (action: Action): Action => (store, data, cb) => {
    if (typeof data.StreamName === 'string') tailsOf(store).drop(data.StreamName);
    action(store, data, cb);
  };

  const getRecords: Action = (store, data, cb) => {
    const now = Date.now();
    const target = decodeIterator(db, data.ShardIterator, now);
    if (target === undefined || !tailsOf(store).tail(target.streamName, target.shardIx)?.covers(target.seqNo)) {
      original.getRecords(store, data, cb);
      return;
    }
    let seqObj: SequenceParts;
    try {
      seqObj = db.parseSequence(target.seqNo);
    } catch {
      original.getRecords(store, data, cb);
      return;
    }
    store.getStream(target.streamName, (error, stream) => {
      // The tail may have moved on or been dropped while the stream was read.
      const tail = tailsOf(store).tail(target.streamName, target.shardIx);
      if (error || stream === undefined || target.shardIx >= stream.Shards.length || !tail?.covers(target.seqNo)) {
        original.getRecords(store, data, cb);
        return;
      }
      const cutoffTime = now - stream.RetentionPeriodHours * 60 * 60 * 1000;
      const read = tail.from(target.seqNo, typeof data.Limit === 'number' && data.Limit > 0 ? data.Limit : DEFAULT_LIMIT);
      const records = read.filter((record) => record.seqTime >= cutoffTime)
        .map((record) => ({ ...record.value, SequenceNumber: record.sequenceNumber }));
      const last = read.at(-1);
      const nextSeq = last !== undefined
        ? db.incrementSequence(db.parseSequence(last.sequenceNumber), null)
        : db.incrementSequence(seqObj, Math.max(now, seqObj.seqTime ?? 0));
      let nextShardIterator: string | undefined = db.createShardIterator(target.streamName, target.shardId, nextSeq);
      let millisBehind = 0;
      const ending = stream.Shards[target.shardIx]!.SequenceNumberRange.EndingSequenceNumber;
      if (records.length === 0 && ending) {
        const endSeqTime = db.parseSequence(ending).seqTime ?? 0;
        if ((seqObj.seqTime ?? 0) >= endSeqTime) {
          nextShardIterator = undefined;
          millisBehind = Math.max(0, now - endSeqTime);
        }
      }
      cb(null, { MillisBehindLatest: millisBehind, NextShardIterator: nextShardIterator, Records: records });
    });
  };

  return {
    getRecords, putRecord: writing(original.putRecord), putRecords: writing(original.putRecords), createStream: forgetting(original.createStream), deleteStream: forgetting(original.deleteStream),
  };
}
