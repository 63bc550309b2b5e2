import type { ShardActivity } from '@wildrydes/domain';

/** A shard the fake stream does not have, refused as Kinesis refuses it. */
export class UnknownShardError extends Error {
  readonly code = 'ResourceNotFoundException';
  constructor(readonly shardId: string) {
    super(`Shard ${shardId} does not exist in the stream`);
    this.name = 'UnknownShardError';
  }
}

/** A stream's shards and when records reached them, told by the test (`arrive`) instead of observed. */
export class InMemoryShardActivity implements ShardActivity {
  private readonly arrivals = new Map<string, number[]>();
  private failure: Error | undefined;
  /** How many questions were asked, for tests that check the scan asks only about idle-looking shards. */
  questions = 0;

  constructor(shardIds: readonly string[] = []) {
    for (const id of shardIds) this.arrivals.set(id, []);
  }

  /** A record reached `shardId` at `time` (the shard is created if new). */
  arrive(shardId: string, time: number): void {
    const times = this.arrivals.get(shardId) ?? [];
    times.push(time);
    this.arrivals.set(shardId, times);
  }

  /** Every later question fails with `error` (undefined: answers again). */
  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  async arrivedSince(shardId: string, since: number): Promise<boolean> {
    this.questions += 1;
    if (this.failure !== undefined) throw this.failure;
    const times = this.arrivals.get(shardId);
    if (times === undefined) throw new UnknownShardError(shardId);
    return times.some((time) => time >= since);
  }
}
