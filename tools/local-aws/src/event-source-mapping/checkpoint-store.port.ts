/**
 * Where a mapping remembers, per shard, the sequence number of the last record it finished with.
 * Like a Lambda/KCL lease: a restarted runner resumes right after it.
 */
export interface CheckpointStore {
  load(streamName: string, functionName: string, shardId: string): Promise<string | undefined>;
  save(streamName: string, functionName: string, shardId: string, checkpoint: string): Promise<void>;
}

/** Checkpoint of a closed shard read to its end: its children may now be read (KCL uses the same marker). */
export const SHARD_END_CHECKPOINT = 'SHARD_END';
