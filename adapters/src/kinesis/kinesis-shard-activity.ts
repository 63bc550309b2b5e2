import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ShardActivity } from '@wildrydes/domain';

export interface KinesisShardActivityOptions {
  readonly streamName: string;
  /**
   * GetRecords calls per question at most. An AT_TIMESTAMP iterator may answer empty pages while records lie
   * further on (`MillisBehindLatest` > 0); after this many the answer is "yes, there is traffic", the safe side.
   */
  readonly maxPages?: number;
}

/** Asks Kinesis directly: an AT_TIMESTAMP iterator at `since`, read one record at a time until a record or the tip. */
export class KinesisShardActivity implements ShardActivity {
  private readonly maxPages: number;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly options: KinesisShardActivityOptions,
  ) {
    this.maxPages = options.maxPages ?? 5;
  }

  async arrivedSince(shardId: string, since: number): Promise<boolean> {
    const { ShardIterator } = await this.kinesis.send(new GetShardIteratorCommand({
      StreamName: this.options.streamName, ShardId: shardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(since),
    }));
    let iterator = ShardIterator;
    for (let page = 0; page < this.maxPages; page++) {
      // A closed shard (after a reshard) ends with no next iterator: nothing more can arrive on it.
      if (iterator === undefined) return false;
      const { Records, MillisBehindLatest, NextShardIterator } = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1 }));
      if ((Records?.length ?? 0) > 0) return true;
      if ((MillisBehindLatest ?? 0) === 0) return false;
      iterator = NextShardIterator;
    }
    return true;
  }
}
