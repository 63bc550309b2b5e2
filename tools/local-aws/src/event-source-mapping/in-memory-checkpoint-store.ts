import type { CheckpointStore } from './checkpoint-store.port';

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, string>();

  async load(streamName: string, functionName: string, shardId: string): Promise<string | undefined> {
    return this.checkpoints.get(key(streamName, functionName, shardId));
  }

  async save(streamName: string, functionName: string, shardId: string, checkpoint: string): Promise<void> {
    this.checkpoints.set(key(streamName, functionName, shardId), checkpoint);
  }
}

// JSON keeps the three parts apart whatever characters they contain.
const key = (streamName: string, functionName: string, shardId: string): string =>
  JSON.stringify([streamName, functionName, shardId]);
