import type { CheckpointStore, ShardCheckpoint } from './checkpoint-store.port';

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, string>();

  async load(streamName: string, functionName: string, shardId: string): Promise<ShardCheckpoint | undefined> {
    const saved = this.checkpoints.get(key(streamName, functionName, shardId));
    // Kept as JSON, as the file store keeps it: a caller mutating what it saved or loaded changes nothing here.
    return saved === undefined ? undefined : JSON.parse(saved) as ShardCheckpoint;
  }

  async save(streamName: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    this.checkpoints.set(key(streamName, functionName, shardId), JSON.stringify(checkpoint));
  }
}

// JSON keeps the three parts apart whatever characters they contain.
const key = (streamName: string, functionName: string, shardId: string): string =>
  JSON.stringify([streamName, functionName, shardId]);
