/**
 * What the telemetry stream itself says about one shard's traffic. The silence scan asks it before judging a shard
 * by the wall clock: a shard whose health record has not been saved for a while is idle only if no record reached
 * it since — otherwise its handler is behind (or in one long invocation), not out of readings, and judging its
 * unicorns by the clock would call reporting unicorns silent.
 */
export interface ShardActivity {
  /**
   * True when at least one record reached the shard at or after `since` (epoch ms, the stream's arrival time).
   * Throws when the stream cannot tell; the caller must then not assume the shard is idle.
   */
  arrivedSince(shardId: string, since: number): Promise<boolean>;
}
