import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import type { RetainedRecord, StreamHistory } from '@wildrydes/domain';

export interface KinesisStreamHistoryOptions {
  /** GetRecords Limit per call. Default 10,000 (Kinesis' maximum). */
  readonly recordsPerCall?: number;
  /** Pause before reading on after an empty page that was still behind the tip. Default 200 ms (5 reads/s per shard). */
  readonly behindPauseMs?: number;
}

/**
 * Everything a Kinesis stream still retains: each shard in turn (parents before children, as shard ids sort),
 * from TRIM_HORIZON until a read finds nothing new at the tip. Records put while it reads may or may not be included.
 */
export class KinesisStreamHistory implements StreamHistory {
  private readonly recordsPerCall: number;
  private readonly behindPauseMs: number;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: KinesisStreamHistoryOptions = {},
  ) {
    this.recordsPerCall = options.recordsPerCall ?? 10_000;
    this.behindPauseMs = options.behindPauseMs ?? 200;
  }

  async *readRetained(): AsyncGenerator<RetainedRecord, void, undefined> {
    for (const shard of await this.listShards()) {
      const shardId = shard.ShardId as string;
      const start = await this.kinesis.send(new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      let iterator = start.ShardIterator;
      while (iterator !== undefined && iterator !== null) {
        const page = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.recordsPerCall }));
        for (const record of page.Records ?? []) {
          yield {
            position: `${shardId}:${record.SequenceNumber as string}`,
            arrivedAt: (record.ApproximateArrivalTimestamp ?? new Date(0)).getTime(),
            data: record.Data ?? new Uint8Array(),
          };
        }
        const behind = page.MillisBehindLatest ?? 0;
        if ((page.Records ?? []).length === 0) {
          if (behind === 0) break;
          await new Promise((resolve) => setTimeout(resolve, this.behindPauseMs));
        }
        // No next iterator: a closed shard read to its end.
        iterator = page.NextShardIterator;
      }
    }
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // ListShards takes either the stream name or a page token, never both.
      const out = await this.kinesis.send(new ListShardsCommand(nextToken === undefined ? { StreamName: this.streamName } : { NextToken: nextToken }));
      shards.push(...(out.Shards ?? []));
      nextToken = out.NextToken;
    } while (nextToken !== undefined);
    return shards.sort((a, b) => (a.ShardId ?? '').localeCompare(b.ShardId ?? ''));
  }
}
