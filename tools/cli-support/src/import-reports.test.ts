import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { readImportReport } from './import-reports';

const REPORT = JSON.stringify({
  key: 'uploads/a.ndjson', status: 'imported', eventTime: '2026-12-03T07:00:00.000Z', linesRead: 5, readingsSent: 5, summariesWritten: 0, linesRejected: 0, rejections: [], quarantineObjects: [],
});

/** An S3 client whose GetObject answers the given bodies in turn (the last one for ever after). */
function s3Answering(...bodies: string[]): { s3: S3Client; reads: () => number } {
  let reads = 0;
  const s3 = {
    send: async () => {
      const body = bodies[Math.min(reads, bodies.length - 1)] ?? '';
      reads += 1;
      return { Body: { transformToString: async () => body } };
    },
  } as unknown as S3Client;
  return { s3, reads: () => reads };
}

describe('readImportReport', () => {
  it('reads again a report caught half-written (the local S3 rewrites objects in place)', async () => {
    const { s3, reads } = s3Answering(REPORT.slice(0, 40), REPORT.slice(0, 90), REPORT);

    const report = await readImportReport(s3, 'wildrydes-data', 'reports/a.ndjson.json');

    expect(report?.readingsSent).toBe(5);
    expect(reads()).toBe(3);
  });

  it('still calls an object that never parses not an import report', async () => {
    const { s3, reads } = s3Answering('this is not JSON');

    await expect(readImportReport(s3, 'wildrydes-data', 'reports/a.ndjson.json', 2)).rejects.toThrow('s3://wildrydes-data/reports/a.ndjson.json is not an import report (not JSON)');
    expect(reads()).toBe(3);
  });
});
