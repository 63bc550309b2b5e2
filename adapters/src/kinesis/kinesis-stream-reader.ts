import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
  type Shard,
  type _Record,
} from '@aws-sdk/client-kinesis';

export type ReadFrom = 'LATEST' | 'TRIM_HORIZON' | { readonly timestamp: Date };

export interface ReadOptions {
  readonly from: ReadFrom;
  /** Pause after a poll that found every shard at its tip. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Ends the iteration cleanly (no error) once aborted. */
  readonly signal?: AbortSignal;
}

export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly approximateArrivalTimestamp: Date;
}

/**
 * One GetRecords call made some other way than through the client's `send`: the local stack reads kinesalite as
 * plain JSON, without the SDK's deserializer (which cost it more CPU than any handler). Errors carry the API's
 * exception name, as the SDK's do.
 */
export type KinesisGetRecords = (shardIterator: string, limit: number, signal: AbortSignal | undefined) => Promise<{
  readonly Records: readonly _Record[];
  readonly NextShardIterator?: string;
  readonly MillisBehindLatest?: number;
}>;

/** GetRecords through the client's `send`: how every reader reads unless it is given another way. */
export function sdkGetRecords(kinesis: KinesisClient) {
  return async (shardIterator: string, limit: number, signal: AbortSignal | undefined) => {
    const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit: limit }), { abortSignal: signal });
    return { ...out, Records: out.Records ?? [] };
  };
}

export interface KinesisStreamReaderOptions {
  /** GetRecords Limit per call. Default 1000. */
  readonly recordsPerCall?: number;
  /** How records are read; default the client's GetRecordsCommand. Shard listing and iterators stay on the client. */
  readonly getRecords?: KinesisGetRecords;
  /** Injected so tests need not wait; must resolve early when the signal aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Kinesis allows 5 GetRecords calls a second per shard; polls that found data still wait this long. */
const MIN_POLL_GAP_MS = 200;

type Position =
  | { readonly type: 'LATEST' | 'TRIM_HORIZON' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

interface ShardCursor {
  readonly shard: Shard;
  position: Position;
  iterator: string | undefined;
  ended: boolean;
}

/**
 * Reads every shard of a stream (for the consumer CLI and tests): one GetRecords per shard per poll, in
 * order within each shard. After a reshard, a child shard is read only once its parents are read to their end,
 * so records of one partition key come out in the order they were written. Streams are addressed by
 * StreamName, which kinesalite requires.
 */
export class KinesisStreamReader {
  private readonly recordsPerCall: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly getRecords: KinesisGetRecords;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: KinesisStreamReaderOptions = {},
  ) {
    this.recordsPerCall = options.recordsPerCall ?? 1000;
    this.sleep = options.sleep ?? abortableSleep;
    this.getRecords = options.getRecords ?? sdkGetRecords(this.kinesis);
  }

  async *read(options: ReadOptions): AsyncGenerator<StreamRecord, void, undefined> {
    const { signal } = options;
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    const start: Position =
      typeof options.from === 'string' ? { type: options.from } : { type: 'AT_TIMESTAMP', timestamp: options.from.timestamp };
    const cursors = new Map<string, ShardCursor>();
    let firstListing = true;
    let relist = true;

    try {
      while (!signal?.aborted) {
        if (relist) {
          for (const shard of await this.listShards(signal)) {
            const id = shard.ShardId;
            if (id === undefined || cursors.has(id)) continue;
            // Shards born after we started hold only records we have not seen: read them from their start.
            cursors.set(id, { shard, position: firstListing ? start : { type: 'TRIM_HORIZON' }, iterator: undefined, ended: false });
          }
          firstListing = false;
          relist = false;
        }

        const pollStarted = Date.now();
        let caughtUp = true;
        for (const cursor of cursors.values()) {
          if (cursor.ended || !parentsDone(cursor.shard, cursors)) continue;
          const page = await this.poll(cursor, signal);
          if (page === undefined) return;
          for (const record of page.records) yield record;
          if (cursor.ended) {
            relist = true;
            caughtUp = false;
          }
          if (page.records.length === this.recordsPerCall || (page.records.length > 0 && page.behindLatest > 0)) caughtUp = false;
          if (signal?.aborted) return;
        }
        const wait = caughtUp ? pollIntervalMs : MIN_POLL_GAP_MS - (Date.now() - pollStarted);
        if (wait > 0) await this.sleep(wait, signal);
      }
    } catch (error) {
      // Aborting cancels the in-flight SDK call, which rejects: that is the clean end the caller asked for.
      if (signal?.aborted) return;
      throw error;
    }
  }

  private async listShards(signal: AbortSignal | undefined): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // ListShards refuses StreamName together with NextToken.
      const out = await this.kinesis.send(
        new ListShardsCommand(nextToken === undefined ? { StreamName: this.streamName } : { NextToken: nextToken }),
        { abortSignal: signal },
      );
      shards.push(...(out.Shards ?? []));
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
    return shards;
  }

  /** One GetRecords on a shard; undefined once aborted. */
  private async poll(
    cursor: ShardCursor,
    signal: AbortSignal | undefined,
  ): Promise<{ records: StreamRecord[]; behindLatest: number } | undefined> {
    const shardId = cursor.shard.ShardId as string;
    for (;;) {
      if (signal?.aborted) return undefined;
      cursor.iterator ??= await this.shardIterator(shardId, cursor.position, signal);
      try {
        const out = await this.getRecords(cursor.iterator, this.recordsPerCall, signal);
        cursor.iterator = out.NextShardIterator;
        // No next iterator: the shard is closed and read to its end.
        if (out.NextShardIterator === undefined || out.NextShardIterator === null) cursor.ended = true;
        const records = out.Records.map((record): StreamRecord => ({
          shardId,
          sequenceNumber: record.SequenceNumber as string,
          partitionKey: record.PartitionKey as string,
          data: record.Data ?? new Uint8Array(),
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp ?? new Date(0),
        }));
        const last = records[records.length - 1];
        if (last) cursor.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber };
        return { records, behindLatest: out.MillisBehindLatest ?? 0 };
      } catch (error) {
        // Iterators expire after 5 minutes (e.g. a consumer paused by a slow caller): resume where we were.
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        cursor.iterator = undefined;
      }
    }
  }

  private async shardIterator(shardId: string, position: Position, signal: AbortSignal | undefined): Promise<string> {
    const input: GetShardIteratorCommandInput = {
      StreamName: this.streamName,
      ShardId: shardId,
      ShardIteratorType: position.type,
      ...(position.type === 'AT_TIMESTAMP' ? { Timestamp: position.timestamp } : {}),
      ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position.sequenceNumber } : {}),
    };
    const out = await this.kinesis.send(new GetShardIteratorCommand(input), { abortSignal: signal });
    if (!out.ShardIterator) throw new ShardIteratorMissingError(this.streamName, shardId);
    return out.ShardIterator;
  }
}

/** A parent no longer listed has aged out of retention: nothing of it is left to read first. */
function parentsDone(shard: Shard, cursors: ReadonlyMap<string, ShardCursor>): boolean {
  return [shard.ParentShardId, shard.AdjacentParentShardId].every((parentId) => {
    const parent = parentId === undefined ? undefined : cursors.get(parentId);
    return parent === undefined || parent.ended;
  });
}

export class ShardIteratorMissingError extends Error {
  readonly code = 'SHARD_ITERATOR_MISSING';
  constructor(streamName: string, shardId: string) {
    super(`GetShardIterator returned no iterator for ${streamName}/${shardId}`);
    this.name = 'ShardIteratorMissingError';
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
