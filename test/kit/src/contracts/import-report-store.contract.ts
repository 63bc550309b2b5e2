import { describe, expect, it } from 'vitest';
import { REPORTED_REJECTIONS, type ImportReport, type ImportReportStore } from '@wildrydes/domain';

export interface ImportReportStoreUnderTest {
  readonly store: ImportReportStore;
  /** The report kept at the key as a reader of the bucket would parse it; undefined when there is none. */
  read(key: string): Promise<ImportReport | undefined>;
}

/** A fresh, empty store per call. */
export type ImportReportStoreFactory = () => Promise<ImportReportStoreUnderTest>;

/** An import report mother: a clean import of the workshop's summary file, overridable. */
export const anImportReport = (overrides: Partial<ImportReport> = {}): ImportReport => ({
  bucket: 'wildrydes-data',
  key: 'uploads/shadowfax-2016-02-12.json',
  eventTime: '2026-11-22T10:05:00.000Z',
  status: 'imported',
  linesRead: 1440,
  blankLines: 0,
  readingsSent: 0,
  summariesWritten: 1440,
  linesRejected: 0,
  rejectionsByCode: {},
  rejections: [],
  quarantineObjects: [],
  streamEntriesRefused: 0,
  durationMs: 812,
  ...overrides,
});

/** What the ingestion service relies on when it files the report of an import, whatever holds the reports. */
export function describeImportReportStoreContract(name: string, factory: ImportReportStoreFactory): void {
  describe(`ImportReportStore contract: ${name}`, () => {
    it.each([
      'reports/shadowfax-2016-02-12.json.json',
      'reports/fleet day 2.ndjson.gz.json',
      'reports/épona 🦄/2026-11-22.json.json',
      'reports/a+b%2Bc&d=e?.json.json',
    ])('saves a report that reads back equal at %s', async (key) => {
      // Prepare
      const subject = await factory();
      const report = anImportReport({ key: key.replace(/^reports\//, 'uploads/').replace(/\.json$/, '') });

      // Act
      await subject.store.save(key, report);

      // Assess
      await expect(subject.read(key)).resolves.toEqual(report);
    });

    it('keeps every rejection listed, with Unicode and characters JSON must escape', async () => {
      // Prepare
      const subject = await factory();
      const raws = ['{"Name":"Ünicörn 🦄"', 'quote " backslash \\ tab \t', 'line\u2028separator\u2029', '\u0000\u001f control', '\ufffd\ufffd'];
      const rejections = Array.from({ length: REPORTED_REJECTIONS }, (_, i) => ({
        line: i + 1, code: 'INVALID_JSON' as const, reason: `not JSON (${i})`, raw: raws[i % raws.length] as string,
      }));
      const report = anImportReport({
        key: 'uploads/fleet.ndjson', linesRead: 250, readingsSent: 130, summariesWritten: 0, linesRejected: 120,
        rejectionsByCode: { INVALID_JSON: 100, INVALID_UTF8: 20 }, rejections,
        quarantineObjects: ['rejected/dt=2026-11-22/hour=10/upload~2Ffleet.ndjson.json.gz'],
      });

      // Act
      await subject.store.save('reports/fleet.ndjson.json', report);

      // Assess
      await expect(subject.read('reports/fleet.ndjson.json')).resolves.toEqual(report);
    });

    it('replaces a report saved again under the same key', async () => {
      // Prepare
      const subject = await factory();
      const failed = anImportReport({
        status: 'failed', readingsSent: 500, streamEntriesRefused: 3, linesRejected: 1, rejectionsByCode: { EMPTY_NAME: 1 },
        rejections: [{ line: 7, code: 'EMPTY_NAME', reason: 'Name is empty', raw: '{"Name":""}' }],
        quarantineObjects: ['rejected/dt=2026-11-22/hour=10/x.json.gz'],
      });
      await subject.store.save('reports/shadowfax-2016-02-12.json.json', failed);
      const retried = anImportReport({ durationMs: 640 });

      // Act
      await subject.store.save('reports/shadowfax-2016-02-12.json.json', retried);

      // Assess
      await expect(subject.read('reports/shadowfax-2016-02-12.json.json')).resolves.toEqual(retried);
    });

    it('loads the report last saved at a key, and nothing where none was saved (the import\'s durable marker)', async () => {
      // Prepare
      const subject = await factory();
      const progress = anImportReport({ status: 'in-progress', eTag: 'd41d8cd98f00b204e9800998ecf8427e', chunkLines: 500, chunksSent: 3, retryLines: [1502, 1999] });
      await subject.store.save('reports/day.ndjson.gz.json', anImportReport({ status: 'failed', chunksSent: 2 }));

      // Act
      await subject.store.save('reports/day.ndjson.gz.json', progress);

      // Assess
      await expect(subject.store.load('reports/day.ndjson.gz.json')).resolves.toEqual(progress);
      await expect(subject.store.load('reports/never.json.json')).resolves.toBeUndefined();
    });

    it('keeps reports under different keys apart', async () => {
      // Prepare
      const subject = await factory();
      const first = anImportReport({ key: 'uploads/a.json' });
      const second = anImportReport({ key: 'uploads/b.json', linesRead: 3, summariesWritten: 3 });

      // Act
      await subject.store.save('reports/a.json.json', first);
      await subject.store.save('reports/b.json.json', second);

      // Assess
      await expect(subject.read('reports/a.json.json')).resolves.toEqual(first);
      await expect(subject.read('reports/b.json.json')).resolves.toEqual(second);
      await expect(subject.read('reports/c.json.json')).resolves.toBeUndefined();
    });
  });
}
