import { describe, expect, it } from 'vitest';
import {
  formatStatusTime, partialOfReading, partialsFromReadings, type ImportedSummaryStore, type LedgerMinute, type Reading, type SummaryLedger,
  type SummaryStore,
} from '@wildrydes/domain';

export interface SummaryLedgerUnderTest {
  readonly ledger: SummaryLedger;
  /** Writes live minutes into the same table the ledger reads. */
  readonly summaries: SummaryStore;
  /** Writes imported summaries into the same table. */
  readonly imported: ImportedSummaryStore;
}

/** A fresh ledger over an empty table per call. */
export type SummaryLedgerFactory = () => Promise<SummaryLedgerUnderTest>;

const T0 = Date.UTC(2026, 10, 21, 22, 30);
const reading = (name: string, secondsFromT0: number): Reading => ({
  name, time: T0 + secondsFromT0 * 1000, latitude: 40.75, longitude: -73.98, distance: 4.5, magicPoints: 150, healthPoints: 160,
});

async function all(ledger: SummaryLedger, from: number, to: number): Promise<LedgerMinute[]> {
  const minutes: LedgerMinute[] = [];
  for await (const minute of ledger.minutes({ from, to })) minutes.push(minute);
  return minutes.sort((a, b) => a.name.localeCompare(b.name) || a.windowStart - b.windowStart);
}

/** What `reconcile` relies on when it counts the summaries table, whatever holds it. */
export function describeSummaryLedgerContract(name: string, factory: SummaryLedgerFactory): void {
  describe(`SummaryLedger contract: ${name}`, () => {
    it('finds nothing in an empty table', async () => {
      const { ledger } = await factory();
      await expect(all(ledger, 0, Number.MAX_SAFE_INTEGER)).resolves.toEqual([]);
    });

    it('counts each minute built from readings with its readings, a replayed reading once', async () => {
      // Prepare
      const { ledger, summaries } = await factory();
      const readings = [reading('Shadowfax', 1), reading('Shadowfax', 2), reading('Shadowfax', 61), reading('Rocinante', 5)];
      await summaries.merge([...partialsFromReadings(readings).values()]);

      // Act: the same reading again
      await summaries.merge([partialOfReading(reading('Shadowfax', 1))]);

      // Assess
      await expect(all(ledger, T0, T0 + 120_000)).resolves.toEqual([
        { name: 'Rocinante', windowStart: T0, readings: 1, importedFrom: undefined },
        { name: 'Shadowfax', windowStart: T0, readings: 2, importedFrom: undefined },
        { name: 'Shadowfax', windowStart: T0 + 60_000, readings: 1, importedFrom: undefined },
      ]);
    });

    it('keeps to minutes starting in [from, to)', async () => {
      // Prepare
      const { ledger, summaries } = await factory();
      await summaries.merge([...partialsFromReadings([reading('Epona', 30), reading('Epona', 90), reading('Epona', 150)]).values()]);

      // Act
      const minutes = await all(ledger, T0 + 60_000, T0 + 120_000);

      // Assess
      expect(minutes.map((m) => m.windowStart)).toEqual([T0 + 60_000]);
    });

    it('tells imported summaries apart, with no readings counted', async () => {
      // Prepare
      const { ledger, imported } = await factory();
      await imported.putImported([{
        Name: 'Shadowfax', StatusTime: formatStatusTime(T0 + 60_000), Distance: 1317, MinMagicPoints: 128, MaxMagicPoints: 158,
        MinHealthPoints: 141, MaxHealthPoints: 176, ImportedFrom: 's3://wildrydes-data/uploads/shadowfax.json',
      }]);

      // Act
      const minutes = await all(ledger, T0, T0 + 60_000);

      // Assess
      expect(minutes).toEqual([{ name: 'Shadowfax', windowStart: T0, readings: 0, importedFrom: 's3://wildrydes-data/uploads/shadowfax.json' }]);
    });

    it('reads every minute of a table of many full minutes', async () => {
      // Prepare: 400 minutes of 60 readings (items of ~0.9 KB each).
      const { ledger, summaries } = await factory();
      const readings = Array.from({ length: 400 }, (_, minute) => Array.from({ length: 60 }, (__, s) => reading('Bucephalus', minute * 60 + s))).flat();
      await summaries.merge([...partialsFromReadings(readings).values()]);

      // Act
      const minutes = await all(ledger, T0, T0 + 400 * 60_000);

      // Assess
      expect(minutes).toHaveLength(400);
      expect(minutes.reduce((n, m) => n + m.readings, 0)).toBe(24_000);
    }, 60_000);
  });
}
