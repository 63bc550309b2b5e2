import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CheckpointStore, OpenWindow, ShardCheckpoint } from './checkpoint-store.port';

/** `checkpoint` keeps the name files had before windows were stored, so those files still load. */
interface CheckpointFile {
  checkpoint: string;
  window?: OpenWindow;
}

/**
 * One small JSON file per stream, function and shard, so shard pollers never write the same file. With tumbling
 * windows the file also holds the open window's state (at most 1 MB), so sequence number and state move together.
 * Written to a temp file, flushed and renamed: a crash leaves the old checkpoint or the new one, never half of one.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(private readonly dir: string) {}

  async load(streamName: string, functionName: string, shardId: string): Promise<ShardCheckpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(streamName, functionName, shardId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = JSON.parse(text) as CheckpointFile;
    return { sequenceNumber: file.checkpoint, ...(file.window && { window: file.window }) };
  }

  async save(streamName: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    const path = this.pathOf(streamName, functionName, shardId);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    const file = await open(temp, 'w');
    try {
      const content: CheckpointFile = {
        checkpoint: checkpoint.sequenceNumber, ...(checkpoint.window && { window: checkpoint.window }),
      };
      await file.writeFile(JSON.stringify(content));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  private pathOf(streamName: string, functionName: string, shardId: string): string {
    return join(this.dir, safe(streamName), safe(functionName), `${safe(shardId)}.json`);
  }
}

// Stream names may be "." or ".."; encoding dots too keeps every name inside the directory.
const safe = (name: string): string => encodeURIComponent(name).replaceAll('.', '%2E');
