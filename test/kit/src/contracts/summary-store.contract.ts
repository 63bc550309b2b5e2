import fc from 'fast-check';
import {
  partialsFromReadings, toMinuteSummary, WINDOW_MS, type MinutePartial, type Reading, type SummaryStore,
} from '@wildrydes/domain';
import { describe, expect, it, onTestFinished } from 'vitest';

/** What the contract reads back: the stored partial and its version. */
export interface StoredWindow {
  readonly partial: MinutePartial;
  readonly version: number;
  /** Whether the stored version was emitted. */
  readonly emitted: boolean;
}

export interface SummaryStoreUnderTest {
  readonly store: SummaryStore;
  /** A second writer on the same table, as a second Lambda instance would be. */
  readonly otherWriter: SummaryStore;
  get(name: string, windowStart: number): Promise<StoredWindow | undefined>;
  listByName(name: string): Promise<StoredWindow[]>;
  /** Writes (PutItem and UpdateItem) the store under test has attempted so far (a lost conditional write counts). */
  writes(): number;
  /** Runs `action` once, between the store's next read and its next write (a put or a mark). */
  interleaveBeforeNextWrite(action: () => Promise<unknown>): void;
  dispose(): Promise<void>;
}

/** A fresh, empty store per test. */
export type SummaryStoreFactory = () => Promise<SummaryStoreUnderTest>;

export interface SummaryStoreContractOptions {
  /** Runs of each property. */
  readonly numRuns?: number;
}

const MINUTE_0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A reading mother: sensible values, overridable. */
export const aReading = (overrides: Partial<Reading> & Pick<Reading, 'name' | 'time'>): Reading => ({
  latitude: 40.749167, longitude: -73.985184, distance: 30.25, magicPoints: 150, healthPoints: 150, ...overrides,
});

/** Readings of one unicorn, one a second from `from` (epoch ms), with distances that differ in their last bits. */
const secondly = (name: string, from: number, count: number): Reading[] =>
  Array.from({ length: count }, (_, i) => aReading({
    name, time: from + i * 1000, distance: 29 + (i % 3) + i / 7, magicPoints: 140 + (i % 9), healthPoints: 160 - (i % 5),
    latitude: 40.749167 + i / 1e5 + 1e-13, longitude: -73.985184 - i / 3e5,
  }));

const partialsOf = (readings: readonly Reading[]): MinutePartial[] => [...partialsFromReadings(readings).values()];

/** The merge every delivery must end at: each distinct reading once, merged in one clean pass. */
const cleanMerge = (readings: readonly Reading[]): MinutePartial[] => partialsOf(readings);

const readingArbitrary = (names: readonly string[]) => fc.record({
  name: fc.constantFrom(...names),
  // Three minutes, any millisecond.
  time: fc.integer({ min: 0, max: 3 * WINDOW_MS - 1 }).map((at) => MINUTE_0 + at),
  latitude: fc.integer({ min: -90_000_000, max: 90_000_000 }).map((n) => n / 1e6),
  longitude: fc.integer({ min: -180_000_000, max: 180_000_000 }).map((n) => n / 1e6),
  distance: fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }).map((d) => (d === 0 ? 0 : d)),
  magicPoints: fc.integer({ min: -5, max: 300 }),
  healthPoints: fc.integer({ min: -5, max: 300 }),
});

/** Distinct readings, then a delivery of them as Kinesis and Lambda might make it: duplicated, reordered, split. */
const messyDelivery = fc
  .uniqueArray(readingArbitrary(['A', 'B']), { minLength: 1, maxLength: 40, selector: (r) => `${r.name}@${r.time}` })
  .chain((readings) => fc.record({
    readings: fc.constant(readings),
    duplicated: fc.subarray(readings),
  }))
  .chain(({ readings, duplicated }) => {
    const delivered = [...readings, ...duplicated];
    return fc.record({
      readings: fc.constant(readings),
      order: fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, delivered.length - 1) }), { maxLength: 6 }),
    });
  });

const batchesOf = <T>(items: readonly T[], cuts: readonly number[]): T[][] => {
  const bounds = [0, ...[...cuts].sort((a, b) => a - b).filter((c) => c < items.length), items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end)).filter((batch) => batch.length > 0);
};

const renamed = (readings: readonly Reading[], prefix: string): Reading[] => readings.map((r) => ({ ...r, name: `${prefix}${r.name}` }));

/**
 * The behaviour every SummaryStore must share: exactly-once counting over at-least-once, reordered, split and
 * concurrent delivery, and no write for a replay.
 */
export function summaryStoreContract(factory: SummaryStoreFactory, options: SummaryStoreContractOptions = {}): void {
  const numRuns = options.numRuns ?? 20;
  const subject = async (): Promise<SummaryStoreUnderTest> => {
    const s = await factory();
    onTestFinished(() => s.dispose());
    return s;
  };

  describe('merging', () => {
    it('stores the workshop summary of a minute, as a new window (version 1)', async () => {
      // Prepare
      const { store, get } = await subject();
      const readings = secondly('Shadowfax', MINUTE_0 + 250, 60);
      const [expected] = cleanMerge(readings);

      // Act
      const result = await store.merge(partialsOf(readings));

      // Assess
      expect(result).toEqual([{ partial: expected, changed: true, version: 1 }]);
      const stored = await get('Shadowfax', MINUTE_0);
      expect(stored?.version).toBe(1);
      expect(stored?.partial).toEqual(expected);
      expect(toMinuteSummary(stored!.partial)).toEqual({
        Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000', WindowStart: '2026-01-01 12:00:00.000',
        Distance: toMinuteSummary(expected!).Distance, MinMagicPoints: 140, MaxMagicPoints: 148, MinHealthPoints: 156, MaxHealthPoints: 160,
        Readings: 60,
      });
    });

    it('returns nothing and writes nothing for an empty batch', async () => {
      // Prepare
      const { store, writes } = await subject();

      // Act
      const result = await store.merge([]);

      // Assess
      expect(result).toEqual([]);
      expect(writes()).toBe(0);
    });

    it('writes a window once when the batch holds several partials of it', async () => {
      // Prepare
      const { store, writes, get } = await subject();
      const readings = secondly('Bucephalus', MINUTE_0, 30);
      const pieces = [readings.slice(0, 10), readings.slice(10, 20), readings.slice(5, 30)].flatMap(partialsOf);

      // Act
      const result = await store.merge(pieces);

      // Assess
      expect(result).toHaveLength(1);
      expect(writes()).toBe(1);
      expect((await get('Bucephalus', MINUTE_0))?.partial).toEqual(cleanMerge(readings)[0]);
    });

    it('stores, for split, duplicated and reordered deliveries, what one clean merge of the distinct readings gives', async () => {
      const { store, listByName } = await subject();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(messyDelivery, async ({ readings, order, cuts }) => {
          // Prepare: names unique to this run, so runs share the table without sharing windows.
          const prefix = `run${++run}-`;
          const distinct = renamed(readings, prefix);
          const delivered = renamed(order, prefix);

          // Act
          for (const batch of batchesOf(delivered, cuts)) await store.merge(partialsOf(batch));

          // Assess
          const expected = cleanMerge(distinct).sort((a, b) => a.name.localeCompare(b.name) || a.windowStart - b.windowStart);
          const stored = [...await listByName(`${prefix}A`), ...await listByName(`${prefix}B`)].map((s) => s.partial);
          expect(stored).toEqual(expected);
        }),
        { numRuns },
      );
    });
  });

  describe('replay', () => {
    it('returns changed=false and writes nothing when a batch is delivered again', async () => {
      // Prepare
      const { store, writes, get } = await subject();
      const readings = [...secondly('Rocinante', MINUTE_0 + 10, 50), ...secondly('Pegasus', MINUTE_0 + 30_000, 60)];
      const first = await store.merge(partialsOf(readings));
      const writesBefore = writes();

      // Act
      const replayed = await store.merge(partialsOf(readings));
      const partlyReplayed = await store.merge(partialsOf(readings.slice(20, 45)));

      // Assess
      expect(replayed).toEqual(first.map(({ partial }) => ({ partial, changed: false, version: 1 })));
      expect(partlyReplayed.every((w) => !w.changed)).toBe(true);
      expect(writes()).toBe(writesBefore);
      expect((await get('Rocinante', MINUTE_0))?.version).toBe(1);
    });
  });

  describe('late readings', () => {
    it('updates only the minute the late reading belongs to', async () => {
      // Prepare
      const { store, get } = await subject();
      const readings = secondly('Epona', MINUTE_0 + 500, 120);
      const late = readings.splice(17, 1);
      await store.merge(partialsOf(readings));

      // Act
      const result = await store.merge(partialsOf(late));

      // Assess
      expect(result).toEqual([{ partial: cleanMerge([...readings, ...late])[0], changed: true, version: 2 }]);
      const [minute0, minute1] = [await get('Epona', MINUTE_0), await get('Epona', MINUTE_0 + WINDOW_MS)];
      expect(minute0?.version).toBe(2);
      expect(minute0?.partial.offsets).toHaveLength(60);
      expect(minute1?.version).toBe(1);
      expect(minute1?.partial.offsets).toHaveLength(60);
    });
  });

  describe('concurrent writers', () => {
    it('counts each reading once when two writers merge overlapping partials at the same time', async () => {
      // Prepare
      const { store, otherWriter, listByName } = await subject();
      const names = ['Sleipnir', 'Arion', 'Marengo'];
      const readings = names.flatMap((name, i) => secondly(name, MINUTE_0 + i * 7, 150));
      const one = readings.filter((_, i) => i % 3 !== 0);
      const other = readings.filter((_, i) => i % 3 !== 1);

      // Act
      await Promise.all([store.merge(partialsOf(one)), otherWriter.merge(partialsOf(other)), store.merge(partialsOf(other.slice(40)))]);

      // Assess
      for (const name of names) {
        const stored = (await listByName(name)).map((s) => s.partial);
        expect(stored).toEqual(cleanMerge(readings.filter((r) => r.name === name)));
      }
    });

    it('re-reads and re-merges when another writer lands between its read and its write', async () => {
      // Prepare
      const { store, otherWriter, get, interleaveBeforeNextWrite } = await subject();
      const readings = secondly('Copenhagen', MINUTE_0, 60);
      await store.merge(partialsOf(readings.slice(0, 20)));
      const mine = readings.slice(10, 45);
      const theirs = readings.slice(30, 60);
      interleaveBeforeNextWrite(() => otherWriter.merge(partialsOf(theirs)));

      // Act
      const result = await store.merge(partialsOf(mine));

      // Assess
      const union = cleanMerge(readings)[0];
      expect(result).toEqual([{ partial: union, changed: true, version: 3 }]);
      const stored = await get('Copenhagen', MINUTE_0);
      expect(stored?.partial).toEqual(union);
      expect(stored?.version).toBe(3);
    });

    it('reports changed=false when the competing writer already wrote everything it brought', async () => {
      // Prepare
      const { store, otherWriter, get, interleaveBeforeNextWrite } = await subject();
      const readings = secondly('Traveller', MINUTE_0, 40);
      interleaveBeforeNextWrite(() => otherWriter.merge(partialsOf(readings)));

      // Act
      const result = await store.merge(partialsOf(readings.slice(5, 25)));

      // Assess
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: false, version: 1 }]);
      expect((await get('Traveller', MINUTE_0))?.version).toBe(1);
    });
  });

  describe('merging with the emitted mark', () => {
    const span = (name: string) => ({ name, fromWindowStart: MINUTE_0, beforeWindowStart: MINUTE_0 + 3 * WINDOW_MS });

    it('writes a new window emitted, in its one write', async () => {
      // Prepare
      const { store, writes, get } = await subject();
      const readings = secondly('Arion', MINUTE_0, 60);

      // Act
      const result = await store.merge(partialsOf(readings), { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: true, version: 1 }]);
      expect(writes()).toBe(1);
      expect(await get('Arion', MINUTE_0)).toMatchObject({ version: 1, emitted: true });
      expect(await store.findPending([span('Arion')])).toEqual([]);
    });

    it.each([
      ['pending', false],
      ['emitted', true],
    ])('writes a changed window that was %s emitted at its new version, in one write', async (_what, emittedBefore) => {
      // Prepare
      const { store, writes, get } = await subject();
      const readings = secondly('Sleipnir', MINUTE_0, 40);
      await store.merge(partialsOf(readings.slice(0, 25)), { markEmitted: emittedBefore });
      const writesBefore = writes();

      // Act
      const result = await store.merge(partialsOf(readings.slice(20)), { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: true, version: 2 }]);
      expect(writes() - writesBefore).toBe(1);
      expect(await get('Sleipnir', MINUTE_0)).toMatchObject({ version: 2, emitted: true });
    });

    it('marks an unchanged window that is not emitted yet, keeping its version (one write)', async () => {
      // Prepare: flushed open by a window's end, then closed by the next window with nothing new.
      const { store, writes, get } = await subject();
      const readings = secondly('Marengo', MINUTE_0, 30);
      await store.merge(partialsOf(readings));
      const writesBefore = writes();

      // Act
      const result = await store.merge(partialsOf(readings.slice(10, 20)), { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: false, version: 1 }]);
      expect(writes() - writesBefore).toBe(1);
      expect(await get('Marengo', MINUTE_0)).toMatchObject({ version: 1, emitted: true });
      expect(await store.findPending([span('Marengo')])).toEqual([]);
    });

    it('writes nothing for an unchanged window that is emitted already (a replayed close)', async () => {
      // Prepare
      const { store, writes } = await subject();
      const readings = secondly('Comanche', MINUTE_0 + 500, 60);
      const first = await store.merge(partialsOf(readings), { markEmitted: true });
      const writesBefore = writes();

      // Act
      const replayed = await store.merge(partialsOf(readings), { markEmitted: true });

      // Assess
      expect(replayed).toEqual(first.map((w) => ({ ...w, changed: false })));
      expect(writes()).toBe(writesBefore);
    });

    it('leaves a window pending when a merge without the mark changes it, even after an emitted version', async () => {
      // Prepare
      const { store, get } = await subject();
      const readings = secondly('Trigger', MINUTE_0, 20);
      await store.merge(partialsOf(readings.slice(0, 10)), { markEmitted: true });

      // Act
      await store.merge(partialsOf(readings.slice(10)));

      // Assess
      expect(await get('Trigger', MINUTE_0)).toMatchObject({ version: 2, emitted: false });
      expect((await store.findPending([span('Trigger')])).map((p) => [p.version, p.partial.offsets.length])).toEqual([[2, 20]]);
    });

    it('reopens an unchanged emitted window, keeping its version, and writes nothing for one already pending', async () => {
      // Prepare: a close marked emitted whose publishing then failed; the retry holds the minute open and flushes it.
      const { store, get, writes } = await subject();
      const readings = secondly('Bucephalus', MINUTE_0, 30);
      const [closed] = await store.merge(partialsOf(readings), { markEmitted: true });

      // Act
      const reopened = await store.merge(partialsOf(readings), { reopen: true });
      const writesBefore = writes();
      const again = await store.merge(partialsOf(readings), { reopen: true });

      // Assess
      expect(reopened).toEqual([{ ...closed, changed: false }]);
      expect(await get('Bucephalus', MINUTE_0)).toMatchObject({ version: 1, emitted: false });
      expect((await store.findPending([span('Bucephalus')])).map((p) => [p.version, p.partial.offsets.length])).toEqual([[1, 30]]);
      expect(again).toEqual(reopened);
      expect(writes()).toBe(writesBefore);
    });

    it('stores the union, emitted at the version it returns, when another writer lands between its read and its write', async () => {
      // Prepare
      const { store, otherWriter, get, interleaveBeforeNextWrite } = await subject();
      const readings = secondly('Pegasus', MINUTE_0, 60);
      await store.merge(partialsOf(readings.slice(0, 20)));
      interleaveBeforeNextWrite(() => otherWriter.merge(partialsOf(readings.slice(40))));

      // Act
      const result = await store.merge(partialsOf(readings.slice(10, 45)), { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: true, version: 3 }]);
      expect(await get('Pegasus', MINUTE_0)).toMatchObject({ partial: cleanMerge(readings)[0], version: 3, emitted: true });
    });

    it('marks the newer version, and returns it, when another writer changes an unchanged window before the mark', async () => {
      // Prepare: a pending window holding everything this merge brings; another writer adds readings before the mark.
      const { store, otherWriter, get, interleaveBeforeNextWrite } = await subject();
      const readings = secondly('Epona', MINUTE_0, 50);
      await store.merge(partialsOf(readings.slice(0, 30)));
      interleaveBeforeNextWrite(() => otherWriter.merge(partialsOf(readings.slice(30))));

      // Act
      const result = await store.merge(partialsOf(readings.slice(0, 10)), { markEmitted: true });

      // Assess: what it returns (and its caller publishes) is what is marked.
      expect(result).toEqual([{ partial: cleanMerge(readings)[0], changed: false, version: 2 }]);
      expect(await get('Epona', MINUTE_0)).toMatchObject({ version: 2, emitted: true });
    });
  });

  describe('emission bookkeeping', () => {
    const span = (name: string, minutes: number) => ({ name, fromWindowStart: MINUTE_0, beforeWindowStart: MINUTE_0 + minutes * WINDOW_MS });

    it('finds stored minutes in the asked range until their version is marked emitted', async () => {
      // Prepare
      const { store } = await subject();
      await store.merge(partialsOf([...secondly('Marengo', MINUTE_0, 90), ...secondly('Comanche', MINUTE_0, 10)]));

      // Act
      const before = await store.findPending([span('Marengo', 1), span('Comanche', 3)]);
      await store.markEmitted(before);
      const after = await store.findPending([span('Marengo', 2), span('Comanche', 3)]);

      // Assess
      expect(before.map((p) => [p.partial.name, p.partial.windowStart, p.version])).toEqual([['Comanche', MINUTE_0, 1], ['Marengo', MINUTE_0, 1]]);
      expect(after.map((p) => [p.partial.name, p.partial.windowStart])).toEqual([['Marengo', MINUTE_0 + WINDOW_MS]]);
    });

    it('makes an emitted minute pending again when a late reading changes it', async () => {
      // Prepare
      const { store } = await subject();
      const readings = secondly('Brigadier', MINUTE_0, 30);
      await store.merge(partialsOf(readings.slice(0, 20)));
      await store.markEmitted(await store.findPending([span('Brigadier', 1)]));

      // Act
      await store.merge(partialsOf(readings.slice(15, 30)));
      const pending = await store.findPending([span('Brigadier', 1)]);

      // Assess
      expect(pending.map((p) => [p.version, p.partial.offsets.length])).toEqual([[2, 30]]);
    });

    it('does not mark a version that is no longer current, and a replay does not make a minute pending', async () => {
      // Prepare
      const { store } = await subject();
      const readings = secondly('Trigger', MINUTE_0, 20);
      await store.merge(partialsOf(readings.slice(0, 10)));
      const [stale] = await store.findPending([span('Trigger', 1)]);
      await store.merge(partialsOf(readings));

      // Act
      await store.markEmitted([stale!]);
      const stillPending = await store.findPending([span('Trigger', 1)]);
      await store.markEmitted(stillPending);
      await store.merge(partialsOf(readings));

      // Assess
      expect(stillPending.map((p) => p.version)).toEqual([2]);
      expect(await store.findPending([span('Trigger', 1)])).toEqual([]);
    });

    it('answers nothing for an empty range or an unknown unicorn', async () => {
      const { store } = await subject();
      expect(await store.findPending([{ name: 'Nobody', fromWindowStart: MINUTE_0, beforeWindowStart: MINUTE_0 + WINDOW_MS }])).toEqual([]);
      expect(await store.findPending([{ name: 'Nobody', fromWindowStart: MINUTE_0, beforeWindowStart: MINUTE_0 }])).toEqual([]);
      await expect(store.markEmitted([])).resolves.toBeUndefined();
    });
  });
}
