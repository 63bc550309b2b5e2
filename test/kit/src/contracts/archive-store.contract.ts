import { describe, expect, it } from 'vitest';
import type { ArchiveStore } from '@wildrydes/domain';

/** A fresh, empty store per call. */
export type ArchiveStoreFactory = () => Promise<ArchiveStore>;

async function listAll(store: ArchiveStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** What the archival service and the query tools rely on, whatever holds the objects. */
export function describeArchiveStoreContract(name: string, factory: ArchiveStoreFactory): void {
  describe(`ArchiveStore contract: ${name}`, () => {
    it('reads back exactly the lines written, Unicode and empty lines included', async () => {
      // Prepare
      const store = await factory();
      const lines = ['{"Name":"Shadowfax","Distance":3.5}', '', '{"Name":"Ünicörn 🦄","raw":"tab\\there"}', '   '];

      // Act
      await store.write('raw/dt=2025-01-01/hour=12/shardId-000000000000~3A1.json.gz', lines);

      // Assess
      await expect(store.read('raw/dt=2025-01-01/hour=12/shardId-000000000000~3A1.json.gz')).resolves.toEqual(lines);
    });

    it('writes an object with no lines, which reads back empty and is listed', async () => {
      // Prepare
      const store = await factory();

      // Act
      await store.write('raw/empty.json.gz', []);

      // Assess
      await expect(store.read('raw/empty.json.gz')).resolves.toEqual([]);
      await expect(listAll(store, 'raw/')).resolves.toEqual(['raw/empty.json.gz']);
    });

    it('replaces an object written again under the same key', async () => {
      // Prepare
      const store = await factory();
      await store.write('raw/k.json.gz', ['{"v":1}', '{"v":2}', '{"v":3}']);

      // Act
      await store.write('raw/k.json.gz', ['{"v":4}']);

      // Assess
      await expect(store.read('raw/k.json.gz')).resolves.toEqual(['{"v":4}']);
      await expect(listAll(store, 'raw/')).resolves.toEqual(['raw/k.json.gz']);
    });

    it('says ArchiveObjectNotFoundError for a key that was never written', async () => {
      // Prepare
      const store = await factory();

      // Act
      const reading = store.read('raw/nothing-here.json.gz');

      // Assess
      await expect(reading).rejects.toMatchObject({ name: 'ArchiveObjectNotFoundError', code: 'ARCHIVE_OBJECT_NOT_FOUND', key: 'raw/nothing-here.json.gz' });
    });

    it('refuses a line with a line break, writing nothing', async () => {
      // Prepare
      const store = await factory();

      // Act
      const writing = store.write('raw/broken.json.gz', ['{"a":1}', 'two\nlines']);

      // Assess
      await expect(writing).rejects.toMatchObject({ code: 'ARCHIVE_LINE_HAS_LINE_BREAK', lineIndex: 1 });
      await expect(listAll(store, '')).resolves.toEqual([]);
    });

    it('lists only the keys under a prefix, in ascending order', async () => {
      // Prepare
      const store = await factory();
      const keys = ['raw/dt=2025-01-02/hour=00/a.json.gz', 'raw/dt=2025-01-01/hour=23/b.json.gz', 'raw/dt=2025-01-01/hour=03/c.json.gz',
        'rejected/dt=2025-01-01/hour=03/d.json.gz', 'raw/dt=2025-01-011/x.json.gz'];
      for (const key of keys) await store.write(key, ['{}']);

      // Act
      const day = await listAll(store, 'raw/dt=2025-01-01/');
      const none = await listAll(store, 'alerts/');

      // Assess
      expect(day).toEqual(['raw/dt=2025-01-01/hour=03/c.json.gz', 'raw/dt=2025-01-01/hour=23/b.json.gz']);
      expect(none).toEqual([]);
    });

    it('lists beyond 1,000 keys (more than one ListObjectsV2 page)', { timeout: 120_000 }, async () => {
      // Prepare
      const store = await factory();
      const keys = Array.from({ length: 1_050 }, (_, i) => `raw/dt=2025-01-01/hour=00/${String(i).padStart(5, '0')}.json.gz`);
      await inParallel(keys, 16, (key) => store.write(key, [`{"key":"${key}"}`]));
      await store.write('rejected/dt=2025-01-01/hour=00/elsewhere.json.gz', ['{}']);

      // Act
      const listed = await listAll(store, 'raw/');

      // Assess
      expect(listed).toEqual(keys);
    });
  });
}
