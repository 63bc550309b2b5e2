import { describe, expect, it } from 'vitest';
import { formatStatusTime, type ImportedMinuteSummary, type ImportedSummaryStore } from '@wildrydes/domain';

export interface ImportedSummaryStoreUnderTest {
  readonly store: ImportedSummaryStore;
  /** Every summary kept in the table, in any order. */
  items(): Promise<ImportedMinuteSummary[]>;
}

/** A fresh store on an empty table per call. */
export type ImportedSummaryStoreFactory = () => Promise<ImportedSummaryStoreUnderTest>;

const DAY = Date.UTC(2016, 1, 12);

/** An imported summary mother: Shadowfax's first minute of the workshop day, overridable. */
export const anImportedSummary = (overrides: Partial<ImportedMinuteSummary> = {}): ImportedMinuteSummary => ({
  Name: 'Shadowfax',
  StatusTime: formatStatusTime(DAY),
  Distance: 1317,
  MinMagicPoints: 128,
  MaxMagicPoints: 158,
  MinHealthPoints: 141,
  MaxHealthPoints: 176,
  ImportedFrom: 's3://wildrydes-data/uploads/shadowfax-2016-02-12.json',
  ...overrides,
});

/** `count` summaries of distinct keys: seven unicorns, one a minute, with fractional distances. */
const summaries = (count: number, from = 's3://wildrydes-data/uploads/fleet.ndjson'): ImportedMinuteSummary[] =>
  Array.from({ length: count }, (_, i) => anImportedSummary({
    Name: ['Shadowfax', 'Bucephalus', 'Rocinante', 'Ünicörn 🦄', 'Epona', 'Pegasus', 'Silver'][i % 7] as string,
    StatusTime: formatStatusTime(DAY + Math.floor(i / 7) * 60_000),
    Distance: 1300 + i + (i % 4) / 4,
    MinMagicPoints: 100 + (i % 30),
    MaxMagicPoints: 160 + (i % 30),
    ImportedFrom: from,
  }));

/** Summaries in the table's key order (Name, then StatusTime), so stores that return them in any order compare. */
const byKey = (items: readonly ImportedMinuteSummary[]): ImportedMinuteSummary[] =>
  [...items].sort((a, b) => (a.Name !== b.Name ? (a.Name < b.Name ? -1 : 1) : a.StatusTime < b.StatusTime ? -1 : a.StatusTime > b.StatusTime ? 1 : 0));

/** What the ingestion service relies on when it imports a summary file, whatever holds the table. */
export function describeImportedSummaryStoreContract(name: string, factory: ImportedSummaryStoreFactory): void {
  describe(`ImportedSummaryStore contract: ${name}`, () => {
    it('writes nothing for no summaries', async () => {
      // Prepare
      const subject = await factory();

      // Act
      const result = await subject.store.putImported([]);

      // Assess
      expect(result).toEqual({ written: 0 });
      await expect(subject.items()).resolves.toEqual([]);
    });

    it.each([1, 7, 25, 26, 60, 101])('writes %i summaries, whatever the batch limit of 25, each read back whole', { timeout: 60_000 }, async (count) => {
      // Prepare
      const subject = await factory();
      const given = summaries(count);

      // Act
      const result = await subject.store.putImported(given);

      // Assess
      expect(result).toEqual({ written: count });
      expect(byKey(await subject.items())).toEqual(byKey(given));
    });

    it('replaces a summary imported again with the same Name and StatusTime', async () => {
      // Prepare
      const subject = await factory();
      const [first, second, third] = summaries(3, 's3://wildrydes-data/uploads/day-1.json') as [ImportedMinuteSummary, ImportedMinuteSummary, ImportedMinuteSummary];
      await subject.store.putImported([first, second, third]);
      const again = anImportedSummary({
        Name: second.Name, StatusTime: second.StatusTime, Distance: 2, MinMagicPoints: 1, MaxMagicPoints: 2, MinHealthPoints: 3, MaxHealthPoints: 4,
        ImportedFrom: 's3://wildrydes-data/uploads/day-1 again.json',
      });

      // Act
      const result = await subject.store.putImported([again]);

      // Assess
      expect(result).toEqual({ written: 1 });
      expect(byKey(await subject.items())).toEqual(byKey([first, again, third]));
    });

    it('keeps the later of two summaries with the same key in one call, and counts the key once', async () => {
      // Prepare
      const subject = await factory();
      const earlier = anImportedSummary({ Distance: 1 });
      const other = anImportedSummary({ Name: 'Bucephalus' });
      const later = anImportedSummary({ Distance: 2 });

      // Act
      const result = await subject.store.putImported([earlier, other, later]);

      // Assess
      expect(result).toEqual({ written: 2 });
      expect(byKey(await subject.items())).toEqual(byKey([other, later]));
    });

    it('keeps the later summaries when a call of more than 25 repeats every key across batches', { timeout: 60_000 }, async () => {
      // Prepare
      const subject = await factory();
      const earlier = summaries(40, 's3://wildrydes-data/uploads/first.json');
      const later = summaries(40, 's3://wildrydes-data/uploads/second.json').map((s) => ({ ...s, Distance: s.Distance + 0.5 }));

      // Act
      const result = await subject.store.putImported([...earlier, ...later]);

      // Assess
      expect(result).toEqual({ written: 40 });
      expect(byKey(await subject.items())).toEqual(byKey(later));
    });

    it('tells apart summaries that share only a Name or only a StatusTime', async () => {
      // Prepare
      const subject = await factory();
      const given = [
        anImportedSummary(),
        anImportedSummary({ StatusTime: formatStatusTime(DAY + 60_000) }),
        anImportedSummary({ Name: 'Shadowfax ' }),
        anImportedSummary({ Name: 'shadowfax' }),
      ];

      // Act
      const result = await subject.store.putImported(given);

      // Assess
      expect(result).toEqual({ written: 4 });
      expect(byKey(await subject.items())).toEqual(byKey(given));
    });
  });
}
