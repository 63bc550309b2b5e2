import { setMaxListeners } from 'node:events';
import { GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { sdkGetRecords } from '@wildrydes/adapters/kinesis';
import { defaultLog, type EventSourceMappingLog } from './event-source-mapping.options';
import type { GetRecordsCall, StreamRecord } from './raw-get-records';

export interface SharedShardReaderOptions {
  kinesis: KinesisClient;
  streamName: string;
  /** How records are read; default `kinesis`'s GetRecords. The local stack reads kinesalite without the SDK (`rawGetRecords`). */
  getRecords?: GetRecordsCall;
  /** Recent records kept per shard, default 10,000 (one full GetRecords). */
  bufferRecords?: number;
  /** Wait between GetRecords calls on a shard at its tip; default 1 s, as Lambda polls. */
  pollIntervalMs?: number;
  /**
   * How long a mapping that stopped asking still holds back the records it has not read. While it holds them and no
   * other mapping waits for new records, the reader reads no further than the buffer allows; after it, or as soon as
   * another mapping waits at the buffer's end, the mapping may fall out of the buffer and read alone.
   */
  holdMs?: number;
  /** Cap of the backoff after API errors. */
  maxBackoffMs?: number;
  /** Default: warnings and errors as JSON lines on stderr, as the mappings log. */
  log?: EventSourceMappingLog;
}

/** Where a mapping stands in a shard: after a sequence number, or before the shard's first record. */
export type SharedPosition = string | typeof BEFORE_FIRST_RECORD;
export const BEFORE_FIRST_RECORD = 'TRIM_HORIZON';

/** What a read from the buffer gives, in the shape of a GetRecords answer. */
export interface SharedRead {
  records: StreamRecord[];
  /** The shard is closed and the mapping has every record of it. */
  ended: boolean;
  millisBehindLatest: number;
}

/** One mapping's access to the reader; `close()` when the mapping stops. */
export interface SharedShardReaderLease {
  /**
   * The records after `position`, at most `limit`. When the mapping is at the buffer's end, waits for the reader's
   * next GetRecords that starts after the call, so an empty answer means the shard's tip. Undefined when `position`
   * is not in the buffer (the mapping lags behind it, or is ahead of the reader): the mapping reads by itself.
   */
  read(shardId: string, position: SharedPosition, limit: number, signal: AbortSignal): Promise<SharedRead | undefined>;
  close(): void;
}

interface Holder {
  position: SharedPosition;
  readAt: number;
}

/**
 * One GetRecords loop per shard for every mapping of a stream that uses it, with a bounded buffer of the records
 * read last. Each mapping keeps its own position, batching, retries and checkpoints, and reads from the buffer while
 * its position is inside it. Positions are sequence numbers, so a mapping falling out of the buffer (or ahead of the
 * reader) reads by itself with its own iterator and comes back once its position is in the buffer again.
 */
export class SharedShardReader {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly getRecords: GetRecordsCall;
  private readonly capacity: number;
  private readonly pollIntervalMs: number;
  private readonly holdMs: number;
  private readonly maxBackoffMs: number;
  private readonly log: EventSourceMappingLog;
  private readonly shards = new Map<string, ShardBuffer>();
  private readonly leases = new Set<number>();
  private nextLease = 0;

  constructor(options: SharedShardReaderOptions) {
    this.kinesis = options.kinesis;
    this.streamName = options.streamName;
    this.getRecords = options.getRecords ?? sdkGetRecords(options.kinesis);
    this.capacity = options.bufferRecords ?? 10_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.holdMs = options.holdMs ?? 10_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.log = options.log ?? defaultLog;
    if (!(Number.isInteger(this.capacity) && this.capacity > 0 && this.pollIntervalMs > 0 && this.holdMs > 0)) {
      throw new RangeError('bufferRecords must be a positive integer; pollIntervalMs and holdMs must be positive');
    }
  }

  /** A mapping starts using the reader; the shard loops run while at least one lease is open. */
  lease(): SharedShardReaderLease {
    const id = this.nextLease++;
    this.leases.add(id);
    return {
      read: (shardId, position, limit, signal) => this.read(id, shardId, position, limit, signal),
      close: () => {
        this.leases.delete(id);
        for (const shard of this.shards.values()) shard.release(id);
        if (this.leases.size === 0) {
          for (const shard of this.shards.values()) shard.stop();
          this.shards.clear();
        }
      },
    };
  }

  private async read(
    lease: number, shardId: string, position: SharedPosition, limit: number, signal: AbortSignal,
  ): Promise<SharedRead | undefined> {
    if (!this.leases.has(lease) || signal.aborted) return undefined;
    let shard = this.shards.get(shardId);
    if (!shard) {
      // The first mapping to ask starts the shard's loop where it stands.
      shard = new ShardBuffer(this, shardId, position);
      this.shards.set(shardId, shard);
    }
    return shard.read(lease, position, limit, signal);
  }

  /** @internal The settings a shard loop reads. */
  get config(): { capacity: number; pollIntervalMs: number; holdMs: number; maxBackoffMs: number; log: EventSourceMappingLog } {
    return {
      capacity: this.capacity, pollIntervalMs: this.pollIntervalMs, holdMs: this.holdMs,
      maxBackoffMs: this.maxBackoffMs, log: this.log,
    };
  }
}

/** Sequence numbers are decimal strings of growing value; BEFORE_FIRST_RECORD sorts before all of them. */
function compare(a: SharedPosition, b: SharedPosition): number {
  if (a === b) return 0;
  if (a === BEFORE_FIRST_RECORD) return -1;
  if (b === BEFORE_FIRST_RECORD) return 1;
  return a.length - b.length || (a < b ? -1 : 1);
}

/** One shard: its loop, its buffer (records after `floor`, contiguous) and the mappings reading from it. */
class ShardBuffer {
  private records: StreamRecord[] = [];
  /** The position just before the first buffered record. */
  private floor: SharedPosition;
  /** The position after the last record read. */
  private last: SharedPosition;
  private ended = false;
  private millisBehindLatest = 1;
  private iterator: string | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly holders = new Map<number, Holder>();
  /** Waiting for the next GetRecords that starts after they asked. */
  private waiting: (() => void)[] = [];
  /** Set while the loop waits for room in the buffer: a mapping that reads may make some. */
  private wakeForRoom: (() => void) | undefined;

  constructor(private readonly reader: SharedShardReader, private readonly shardId: string, start: SharedPosition) {
    this.floor = start;
    this.last = start;
    setMaxListeners(0, this.abort.signal);
  }

  async read(lease: number, position: SharedPosition, limit: number, signal: AbortSignal): Promise<SharedRead | undefined> {
    let from = this.indexAfter(position);
    if (from === undefined) return undefined;
    this.holders.set(lease, { position, readAt: Date.now() });
    this.ensureRunning();
    if (from === this.records.length && !this.ended) {
      await this.nextRead(signal);
      if (signal.aborted) return undefined;
      from = this.indexAfter(position);
      // Evicted while waiting (only when the buffer had to move on without this mapping).
      if (from === undefined) return undefined;
    }
    const records = this.records.slice(from, from + limit);
    const next = records.at(-1)?.SequenceNumber ?? position;
    this.holders.set(lease, { position: next, readAt: Date.now() });
    if (records.length > 0) this.wakeForRoom?.();
    const rest = this.records.length - from - records.length;
    return {
      records,
      ended: this.ended && rest === 0,
      millisBehindLatest: rest > 0 ? Math.max(1, this.millisBehindLatest) : this.millisBehindLatest,
    };
  }

  release(lease: number): void {
    this.holders.delete(lease);
    this.wakeForRoom?.();
  }

  stop(): void {
    this.abort.abort();
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Index of the first buffered record after `position`, or undefined when `position` is not in the buffer. */
  private indexAfter(position: SharedPosition): number | undefined {
    if (position === this.floor) return 0;
    let low = 0;
    let high = this.records.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const order = compare(this.records[middle]?.SequenceNumber ?? '', position);
      if (order === 0) return middle + 1;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  private nextRead(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done);
      // Served by the loop's next read: at the tip, that is the next poll, whoever else is waiting for it.
      this.waiting.push(done);
      this.wakeForRoom?.();
    });
  }

  private ensureRunning(): void {
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      for (const resolve of this.waiting.splice(0)) resolve();
    });
  }

  /**
   * Reads while some mapping reads from this shard: as fast as the buffer has room for records the mappings still
   * need while behind, once per poll interval at the tip (whatever the number of mappings waiting).
   */
  private async loop(): Promise<void> {
    const { capacity, pollIntervalMs, log } = this.reader.config;
    let failures = 0;
    while (!this.abort.signal.aborted && !this.ended && this.activeHolders().length > 0) {
      const room = capacity - (this.records.length - this.unneeded());
      if (room <= 0 && this.waiting.length === 0) {
        // Full of records some mapping has yet to read: wait for it to read, for its hold to lapse, or for another
        // mapping to need new records.
        await this.sleep(pollIntervalMs, true);
        continue;
      }
      // A mapping waiting at the buffer's end is never held back by a slower one (Lambda's pollers are independent):
      // the reader reads on, and the slower mapping falls out of the buffer and reads by itself.
      const waiters = this.waiting.splice(0);
      try {
        const fetched = await this.fetch(Math.min(10_000, room > 0 ? room : capacity));
        failures = 0;
        for (const resolve of waiters) resolve();
        if (fetched === 0 && this.millisBehindLatest === 0) await this.sleep(pollIntervalMs);
      } catch (error) {
        this.waiting.unshift(...waiters);
        if (this.abort.signal.aborted) break;
        if ((error as Error).name === 'ExpiredIteratorException') {
          this.iterator = undefined;
          continue;
        }
        failures += 1;
        log('warn', 'shared Kinesis read failed; retrying', {
          streamName: this.reader.streamName, shardId: this.shardId, attempt: failures, error: String(error),
        });
        await this.sleep(this.backoffMs(failures));
      }
    }
  }

  private async fetch(limit: number): Promise<number> {
    this.iterator ??= await this.shardIterator();
    const out = await this.reader.getRecords(this.iterator, limit, this.abort.signal);
    this.iterator = out.NextShardIterator;
    const records = out.Records;
    this.records.push(...records);
    this.last = records.at(-1)?.SequenceNumber ?? this.last;
    this.millisBehindLatest = out.MillisBehindLatest ?? 0;
    if (!out.NextShardIterator) this.ended = true;
    const { capacity } = this.reader.config;
    const over = this.records.length - capacity;
    if (over > 0) {
      this.floor = this.records[over - 1]?.SequenceNumber ?? this.floor;
      this.records = this.records.slice(over);
    }
    return records.length;
  }

  private async shardIterator(): Promise<string> {
    const { kinesis, streamName } = this.reader;
    const out = await kinesis.send(new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: this.shardId,
      ...(this.last === BEFORE_FIRST_RECORD
        ? { ShardIteratorType: 'TRIM_HORIZON' as const }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: this.last }),
    }), { abortSignal: this.abort.signal });
    if (!out.ShardIterator) throw new Error(`GetShardIterator returned no iterator for ${this.shardId}`);
    return out.ShardIterator;
  }

  /** Mappings that read within the hold time. */
  private activeHolders(): Holder[] {
    const since = Date.now() - this.reader.config.holdMs;
    return [...this.holders.values()].filter((holder) => holder.readAt >= since);
  }

  /** How many leading records every active mapping has read already. */
  private unneeded(): number {
    const active = this.activeHolders();
    if (active.length === 0) return this.records.length;
    const slowest = active.reduce((min, holder) => (compare(holder.position, min) < 0 ? holder.position : min), this.last);
    const from = this.indexAfter(slowest);
    return from ?? 0;
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.reader.config.maxBackoffMs, 50 * 2 ** Math.min(attempt - 1, 20));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Resolves early when the reader stops, or (waiting for room) when a mapping reads. */
  private sleep(ms: number, forRoom = false): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        if (this.wakeForRoom === done) this.wakeForRoom = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
      if (forRoom) this.wakeForRoom = done;
    });
  }
}
