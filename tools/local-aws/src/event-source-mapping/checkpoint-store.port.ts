/**
 * Where a mapping remembers, per shard, the sequence number of the last record it finished with.
 * Like a Lambda/KCL lease: a restarted runner resumes right after it.
 */
export interface CheckpointStore {
  load(streamName: string, functionName: string, shardId: string): Promise<ShardCheckpoint | undefined>;
  /** Saves the sequence number and the open window together: a crash keeps both old or both new. */
  save(streamName: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
}

export interface ShardCheckpoint {
  /** The last record finished with, or SHARD_END_CHECKPOINT. */
  sequenceNumber: string;
  /** With tumbling windows: the window still open after that record, and the state its last successful invocation returned. */
  window?: OpenWindow;
}

export interface OpenWindow {
  /** ISO 8601, as in the event's `window`. */
  start: string;
  end: string;
  state: Record<string, unknown>;
}

/** Checkpoint of a closed shard read to its end: its children may now be read (KCL uses the same marker). */
export const SHARD_END_CHECKPOINT = 'SHARD_END';
