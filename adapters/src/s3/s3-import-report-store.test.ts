import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '@wildrydes/domain';
import { S3ImportReportStore } from './s3-import-report-store';

const s3 = mockClient(S3Client);

const REPORT: ImportReport = {
  bucket: 'wildrydes-data',
  key: 'uploads/fleet.ndjson',
  eventTime: '2026-11-22T10:05:00.000Z',
  status: 'imported',
  linesRead: 3,
  blankLines: 0,
  readingsSent: 2,
  summariesWritten: 0,
  linesRejected: 1,
  rejectionsByCode: { INVALID_JSON: 1 },
  rejections: [{ line: 2, code: 'INVALID_JSON', reason: 'not JSON', raw: '{"Name":"Ünicörn 🦄"' }],
  quarantineObjects: ['rejected/dt=2026-11-22/hour=10/upload~2Ffleet.ndjson.json.gz'],
  streamEntriesRefused: 0,
  durationMs: 12,
};

describe('S3ImportReportStore', () => {
  let store: S3ImportReportStore;

  beforeEach(() => {
    s3.reset();
    store = new S3ImportReportStore(new S3Client({}), 'wildrydes-data');
  });

  it('puts the report as one indented UTF-8 JSON object at its key', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});

    // Act
    await store.save('reports/fleet.ndjson.json', REPORT);

    // Assess
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'wildrydes-data',
      Key: 'reports/fleet.ndjson.json',
      ContentType: 'application/json',
      Body: Buffer.from(JSON.stringify(REPORT, null, 2) + '\n', 'utf8'),
    });
  });

  it('writes the same bytes for the same report, so saving again replaces it unchanged', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});

    // Act
    await store.save('reports/fleet.ndjson.json', REPORT);
    await store.save('reports/fleet.ndjson.json', structuredClone(REPORT));

    // Assess
    const [first, second] = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(second).toEqual(first);
  });

  it('fails save() when PutObject fails, with the SDK error', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    // Act
    const saving = store.save('reports/fleet.ndjson.json', REPORT);

    // Assess
    await expect(saving).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('loads a report with one GetObject, and undefined for NoSuchKey', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'reports/fleet.ndjson.json' }).resolves({ Body: { transformToString: async () => JSON.stringify(REPORT, null, 2) } as never });
    s3.on(GetObjectCommand, { Key: 'reports/none.json' }).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));

    // Act
    const found = await store.load('reports/fleet.ndjson.json');
    const none = await store.load('reports/none.json');

    // Assess
    expect(found).toEqual(REPORT);
    expect(none).toBeUndefined();
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'wildrydes-data', Key: 'reports/fleet.ndjson.json' });
  });
});
