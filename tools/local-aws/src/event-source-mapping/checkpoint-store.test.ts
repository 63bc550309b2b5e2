import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from './checkpoint-store.port';
import { FileCheckpointStore } from './file-checkpoint-store';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'esm-checkpoint-store-'));
  dirs.push(dir);
  return dir;
};

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.each<[string, () => Promise<CheckpointStore>]>([
  ['InMemoryCheckpointStore', async () => new InMemoryCheckpointStore()],
  ['FileCheckpointStore', async () => new FileCheckpointStore(await tempDir())],
])('%s (contract)', (_, create) => {
  it('has no checkpoint for a shard never saved', async () => {
    const store = await create();

    expect(await store.load('unicorn-telemetry', 'track-health', 'shardId-000000000000')).toBeUndefined();
  });

  it('returns the latest checkpoint saved', async () => {
    const store = await create();

    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', '49001');
    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', '49002');

    expect(await store.load('unicorn-telemetry', 'track-health', 'shardId-000000000000')).toBe('49002');
  });

  it('keeps streams, functions and shards apart, whatever their names', async () => {
    const store = await create();
    const keys: [string, string, string][] = [
      ['a', 'b', 'shardId-000000000000'], ['a', 'b', 'shardId-000000000001'], ['a', 'c', 'shardId-000000000000'],
      ['b', 'b', 'shardId-000000000000'], ['..', '.', 'shardId-000000000000'], ['a/b', 'c', 'd'], ['a', 'b/c', 'd'],
    ];

    await Promise.all(keys.map(([stream, fn, shard], i) => store.save(stream, fn, shard, `cp-${i}`)));

    expect(await Promise.all(keys.map(([stream, fn, shard]) => store.load(stream, fn, shard))))
      .toEqual(keys.map((__, i) => `cp-${i}`));
  });
});

describe('FileCheckpointStore', () => {
  it('is read back by a new instance, as after a restart', async () => {
    const dir = await tempDir();
    await new FileCheckpointStore(dir).save('unicorn-telemetry', 'track-health', 'shardId-000000000001', '49007');

    expect(await new FileCheckpointStore(dir).load('unicorn-telemetry', 'track-health', 'shardId-000000000001')).toBe('49007');
  });

  it('writes inside its directory only and leaves no temp files behind', async () => {
    const dir = await tempDir();
    const store = new FileCheckpointStore(dir);

    await Promise.all(Array.from({ length: 20 }, (__, i) => store.save('..', '..', 'shardId-000000000000', `${i}`)));

    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.map((entry) => relative(dir, join(entry.parentPath, entry.name))))
      .toEqual([join('%2E%2E', '%2E%2E', 'shardId-000000000000.json')]);
  });
});
