import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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

    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', { sequenceNumber: '49001' });
    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', { sequenceNumber: '49002' });

    expect(await store.load('unicorn-telemetry', 'track-health', 'shardId-000000000000')).toStrictEqual({ sequenceNumber: '49002' });
  });

  it('keeps an open tumbling window with its checkpoint, and drops it when a later save has none', async () => {
    const store = await create();
    const window = { start: '2026-01-01T00:01:00Z', end: '2026-01-01T00:02:00Z', state: { 'unicorn-1': { distance: 42.5 } } };

    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', { sequenceNumber: '49001', window });
    const open = await store.load('unicorn-telemetry', 'track-health', 'shardId-000000000000');
    await store.save('unicorn-telemetry', 'track-health', 'shardId-000000000000', { sequenceNumber: '49001' });
    const closed = await store.load('unicorn-telemetry', 'track-health', 'shardId-000000000000');

    expect(open).toStrictEqual({ sequenceNumber: '49001', window });
    expect(closed).toStrictEqual({ sequenceNumber: '49001' });
  });

  it('hands out copies: changing a saved or loaded window changes nothing stored', async () => {
    const store = await create();
    const state: Record<string, unknown> = { count: 1 };
    await store.save('s', 'f', 'shardId-000000000000', { sequenceNumber: '1', window: { start: 'a', end: 'b', state } });
    state.count = 2;
    const loaded = await store.load('s', 'f', 'shardId-000000000000');
    if (loaded?.window) loaded.window.state.count = 3;

    expect((await store.load('s', 'f', 'shardId-000000000000'))?.window?.state).toStrictEqual({ count: 1 });
  });

  it('keeps streams, functions and shards apart, whatever their names', async () => {
    const store = await create();
    const keys: [string, string, string][] = [
      ['a', 'b', 'shardId-000000000000'], ['a', 'b', 'shardId-000000000001'], ['a', 'c', 'shardId-000000000000'],
      ['b', 'b', 'shardId-000000000000'], ['..', '.', 'shardId-000000000000'], ['a/b', 'c', 'd'], ['a', 'b/c', 'd'],
    ];

    await Promise.all(keys.map(([stream, fn, shard], i) => store.save(stream, fn, shard, { sequenceNumber: `cp-${i}` })));

    expect(await Promise.all(keys.map(([stream, fn, shard]) => store.load(stream, fn, shard))))
      .toEqual(keys.map((__, i) => ({ sequenceNumber: `cp-${i}` })));
  });
});

describe('FileCheckpointStore', () => {
  it('is read back by a new instance, as after a restart', async () => {
    const dir = await tempDir();
    await new FileCheckpointStore(dir).save('unicorn-telemetry', 'track-health', 'shardId-000000000001', { sequenceNumber: '49007' });

    expect(await new FileCheckpointStore(dir).load('unicorn-telemetry', 'track-health', 'shardId-000000000001'))
      .toStrictEqual({ sequenceNumber: '49007' });
  });

  it('reads the files written before windows were stored', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'unicorn-telemetry', 'track-health'), { recursive: true });
    await writeFile(join(dir, 'unicorn-telemetry', 'track-health', 'shardId-000000000001.json'), '{"checkpoint":"49007"}');

    expect(await new FileCheckpointStore(dir).load('unicorn-telemetry', 'track-health', 'shardId-000000000001'))
      .toStrictEqual({ sequenceNumber: '49007' });
  });

  it('writes inside its directory only and leaves no temp files behind', async () => {
    const dir = await tempDir();
    const store = new FileCheckpointStore(dir);

    await Promise.all(Array.from({ length: 20 }, (__, i) => store.save('..', '..', 'shardId-000000000000', { sequenceNumber: `${i}` })));

    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.map((entry) => relative(dir, join(entry.parentPath, entry.name))))
      .toEqual([join('%2E%2E', '%2E%2E', 'shardId-000000000000.json')]);
  });
});
