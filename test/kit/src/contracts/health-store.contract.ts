import type { HealthStore, UnicornHealthState } from '@wildrydes/domain';
import { describe, expect, it, onTestFinished } from 'vitest';

export interface HealthStoreUnderTest {
  readonly store: HealthStore;
  /** A second writer on the same table, as a second Lambda instance would be. */
  readonly otherWriter: HealthStore;
  /** Runs `action` once, just before the store's next conditional write. */
  interleaveBeforeNextWrite(action: () => Promise<unknown>): void;
  dispose(): Promise<void>;
}

/** A fresh, empty store per test. */
export type HealthStoreFactory = () => Promise<HealthStoreUnderTest>;

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A health-state mother: a healthy unicorn seen at T0, overridable. */
export const aHealthState = (name: string, overrides: Partial<UnicornHealthState> = {}): UnicornHealthState => ({
  name,
  lastReadingTime: T0,
  latitude: 40.74916712345678,
  longitude: -73.98518400000001,
  magicPoints: 150,
  healthPoints: 150,
  levels: { MagicPoints: 'ok', HealthPoints: 'ok' },
  silent: false,
  ...overrides,
});

/** The behaviour every HealthStore must share: versioned conditional writes, conflicts by name, silence queries. */
export function healthStoreContract(factory: HealthStoreFactory): void {
  const subject = async (): Promise<HealthStoreUnderTest> => {
    const s = await factory();
    onTestFinished(() => s.dispose());
    return s;
  };

  describe('load and apply', () => {
    it('loads nothing for unicorns never stored', async () => {
      // Prepare
      const { store } = await subject();

      // Act
      const loaded = await store.load(['Shadowfax', 'Bucephalus']);

      // Assess
      expect(loaded.size).toBe(0);
    });

    it('creates a state at version 1 and loads it back as written', async () => {
      // Prepare
      const { store } = await subject();
      const state = aHealthState('Shadowfax', { levels: { MagicPoints: 'warning', HealthPoints: 'critical' }, healthPoints: 42 });

      // Act
      const outcome = await store.applyTransitions([{ state, expectedVersion: undefined }]);

      // Assess
      expect(outcome).toEqual({ conflicts: [] });
      expect(await store.load(['Shadowfax'])).toEqual(new Map([['Shadowfax', { state, version: 1 }]]));
    });

    it('advances the version on each write that expects the current one', async () => {
      // Prepare
      const { store } = await subject();
      await store.applyTransitions([{ state: aHealthState('Rocinante'), expectedVersion: undefined }]);
      const later = aHealthState('Rocinante', { lastReadingTime: T0 + 1000, silent: true });

      // Act
      const outcome = await store.applyTransitions([{ state: later, expectedVersion: 1 }]);

      // Assess
      expect(outcome.conflicts).toEqual([]);
      expect((await store.load(['Rocinante'])).get('Rocinante')).toEqual({ state: later, version: 2 });
    });

    it('loads many unicorns at once, asked for more than once', async () => {
      // Prepare
      const { store } = await subject();
      const names = Array.from({ length: 130 }, (_, i) => `Unicorn-${String(i).padStart(4, '0')}`);
      await store.applyTransitions(names.map((name) => ({ state: aHealthState(name), expectedVersion: undefined })));

      // Act
      const loaded = await store.load([...names, ...names.slice(0, 40), 'Nobody']);

      // Assess
      expect([...loaded.keys()].sort()).toEqual(names);
      expect(loaded.get('Unicorn-0077')).toEqual({ state: aHealthState('Unicorn-0077'), version: 1 });
    });
  });

  describe('version conflicts', () => {
    it('returns a stale write as a conflict by name and keeps the stored state', async () => {
      // Prepare
      const { store } = await subject();
      const original = aHealthState('Pegasus');
      await store.applyTransitions([{ state: original, expectedVersion: undefined }]);
      await store.applyTransitions([{ state: aHealthState('Pegasus', { lastReadingTime: T0 + 1000 }), expectedVersion: 1 }]);
      const stale = aHealthState('Pegasus', { lastReadingTime: T0 + 500, silent: true });

      // Act
      const outcome = await store.applyTransitions([{ state: stale, expectedVersion: 1 }]);

      // Assess
      expect(outcome).toEqual({ conflicts: ['Pegasus'] });
      expect((await store.load(['Pegasus'])).get('Pegasus')).toEqual({ state: aHealthState('Pegasus', { lastReadingTime: T0 + 1000 }), version: 2 });
    });

    it('conflicts when creating a unicorn that exists, or expecting a version of one that does not', async () => {
      // Prepare
      const { store } = await subject();
      await store.applyTransitions([{ state: aHealthState('Epona'), expectedVersion: undefined }]);

      // Act
      const outcome = await store.applyTransitions([
        { state: aHealthState('Epona', { lastReadingTime: T0 + 1 }), expectedVersion: undefined },
        { state: aHealthState('Arion'), expectedVersion: 3 },
        { state: aHealthState('Sleipnir'), expectedVersion: undefined },
      ]);

      // Assess
      expect(outcome).toEqual({ conflicts: ['Arion', 'Epona'] });
      const loaded = await store.load(['Epona', 'Arion', 'Sleipnir']);
      expect(loaded.get('Epona')).toEqual({ state: aHealthState('Epona'), version: 1 });
      expect(loaded.has('Arion')).toBe(false);
      expect(loaded.get('Sleipnir')?.version).toBe(1);
    });

    it('conflicts when another writer lands between the load and the write', async () => {
      // Prepare
      const { store, otherWriter, interleaveBeforeNextWrite } = await subject();
      await store.applyTransitions([{ state: aHealthState('Marengo'), expectedVersion: undefined }]);
      const { version } = (await store.load(['Marengo'])).get('Marengo')!;
      const theirs = aHealthState('Marengo', { lastReadingTime: T0 + 2000, levels: { MagicPoints: 'warning', HealthPoints: 'ok' } });
      interleaveBeforeNextWrite(() => otherWriter.applyTransitions([{ state: theirs, expectedVersion: version }]));

      // Act
      const outcome = await store.applyTransitions([{ state: aHealthState('Marengo', { lastReadingTime: T0 + 1000 }), expectedVersion: version }]);

      // Assess
      expect(outcome).toEqual({ conflicts: ['Marengo'] });
      expect((await store.load(['Marengo'])).get('Marengo')).toEqual({ state: theirs, version: 2 });
    });

    it('lets exactly one of two concurrent writers of the same version win', async () => {
      // Prepare
      const { store, otherWriter } = await subject();
      await store.applyTransitions([{ state: aHealthState('Comanche'), expectedVersion: undefined }]);
      const mine = aHealthState('Comanche', { lastReadingTime: T0 + 1000 });
      const theirs = aHealthState('Comanche', { lastReadingTime: T0 + 1001 });

      // Act
      const outcomes = await Promise.all([
        store.applyTransitions([{ state: mine, expectedVersion: 1 }]),
        otherWriter.applyTransitions([{ state: theirs, expectedVersion: 1 }]),
      ]);

      // Assess
      expect(outcomes.map((o) => o.conflicts.length).sort()).toEqual([0, 1]);
      const winner = outcomes[0]!.conflicts.length === 0 ? mine : theirs;
      expect((await store.load(['Comanche'])).get('Comanche')).toEqual({ state: winner, version: 2 });
    });
  });

  describe('shard records', () => {
    const record = (shardId: string, lastSeen: [string, number][], watermark = T0 + 60_000) =>
      ({ shardId, watermark, savedAt: watermark + 1_500, lastSeen: new Map(lastSeen) });

    it('saves a new record, loads it back exactly, and lists it', async () => {
      // Prepare
      const { store } = await subject();
      const names: [string, number][] = Array.from({ length: 5_000 }, (_, i) => [`Unicorn-${i} ü`, T0 + (i % 60_000)]);
      const saved = { ...record('shardId-000000000001', [['Shadowfax', T0 + 59_999], ['Ñandú 🦄', T0], ...names]), arrivedUntil: T0 + 60_250 };

      // Act
      const outcome = await store.saveShard(saved, undefined);
      const loaded = await store.loadShard('shardId-000000000001');

      // Assess
      expect(outcome).toBe('saved');
      expect(loaded).toEqual({ ...saved, version: 1 });
      expect(await store.listShards()).toEqual([{ ...saved, version: 1 }]);
      expect(await store.load(['Shadowfax'])).toEqual(new Map());
    });

    it('keeps the unicorns it carries without an item, in the order given, and drops them when none are left', async () => {
      // Prepare: positions and points as a simulated fleet has them (decimal degrees, fractional points).
      const { store } = await subject();
      const unstored = new Map([
        ['Zephyr', { latitude: 40.748817, longitude: -73.985428, magicPoints: 149.25, healthPoints: 120 }],
        ['Ñandú 🦄', { latitude: -33.4489, longitude: -70.6693, magicPoints: 101, healthPoints: 100.5 }],
      ]);
      const saved = { ...record('s', [['Zephyr', T0 + 1_000], ['Ñandú 🦄', T0 + 2_000], ['Shadowfax', T0]]), unstored };

      // Act: a unicorn the record has no time for cannot be judged from it, and is not kept.
      await store.saveShard({ ...saved, unstored: new Map([...unstored, ['Timeless', unstored.get('Zephyr')!]]) }, undefined);
      const loaded = await store.loadShard('s');
      await store.saveShard(record('s', [['Zephyr', T0 + 3_000]]), 1);

      // Assess
      expect(loaded).toEqual({ ...saved, version: 1 });
      expect([...loaded!.unstored!.keys()]).toEqual(['Zephyr', 'Ñandú 🦄']);
      expect((await store.listShards())[0]).toEqual({ ...record('s', [['Zephyr', T0 + 3_000]]), version: 2 });
    });

    it('loads nothing for a shard never saved, and lists nothing in an empty table', async () => {
      const { store } = await subject();
      expect(await store.loadShard('shardId-000000000009')).toBeUndefined();
      expect(await store.listShards()).toEqual([]);
    });

    it('saves only over the version read: a stale writer gets a conflict and changes nothing', async () => {
      // Prepare
      const { store, otherWriter } = await subject();
      await store.saveShard(record('s', [['A', T0]]), undefined);
      await otherWriter.saveShard(record('s', [['A', T0 + 5_000]]), 1);

      // Act
      const stale = await store.saveShard(record('s', [['A', T0 + 1_000]]), 1);
      const fresh = await store.saveShard(record('s', [['A', T0 + 9_000]]), 2);

      // Assess
      expect([stale, fresh]).toEqual(['conflict', 'saved']);
      expect((await store.loadShard('s'))?.lastSeen.get('A')).toBe(T0 + 9_000);
      expect(await store.saveShard(record('s', []), undefined)).toBe('conflict');
    });

    it('keeps shard records apart from the unicorns and from each other', async () => {
      // Prepare
      const { store } = await subject();
      await store.applyTransitions([{ state: aHealthState('Shadowfax'), expectedVersion: undefined }]);
      await store.saveShard(record('b', [['Shadowfax', T0]]), undefined);
      await store.saveShard(record('a', [['Bucephalus', T0]]), undefined);

      // Act
      const shards = await store.listShards();

      // Assess
      expect(shards.map((s) => s.shardId)).toEqual(['a', 'b']);
      expect((await store.load(['Shadowfax'])).get('Shadowfax')?.state).toEqual(aHealthState('Shadowfax'));
    });
  });
}
