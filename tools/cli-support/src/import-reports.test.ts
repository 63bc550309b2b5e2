import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
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

  it('reads again a report whose body stopped short of its announced length (the connection reset mid-body)', async () => {
    // A real S3 client against a server that, the first time, announces the old version's length and sends fewer
    // bytes before the connection ends: what the local S3 stand-in does while the import rewrites the report.
    let answers = 0;
    const server = http.createServer((request, response) => {
      answers += 1;
      request.resume();
      if (answers === 1) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': REPORT.length + 40 });
        response.write(REPORT.slice(0, 30), () => response.destroy());
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': REPORT.length }).end(REPORT);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const report = await readImportReport(s3, 'wildrydes-data', 'reports/a.ndjson.json');

      expect(report?.readingsSent).toBe(5);
      expect(answers).toBe(2);
    } finally {
      s3.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up on a body cut short every time, saying so', async () => {
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    let reads = 0;
    const s3 = { send: async () => ({ Body: { transformToString: async () => { reads += 1; throw reset; } } }) } as unknown as S3Client;

    await expect(readImportReport(s3, 'wildrydes-data', 'reports/a.ndjson.json', 2)).rejects.toThrow('s3://wildrydes-data/reports/a.ndjson.json is not an import report (its body was cut short: aborted)');
    expect(reads).toBe(3);
  });

  it('does not take an error that is not the network for a torn read', async () => {
    const s3 = { send: async () => ({ Body: { transformToString: async () => { throw new TypeError('boom'); } } }) } as unknown as S3Client;

    await expect(readImportReport(s3, 'wildrydes-data', 'reports/a.ndjson.json')).rejects.toThrow('boom');
  });
});
