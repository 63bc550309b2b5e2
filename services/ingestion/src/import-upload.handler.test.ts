import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { loadEvent } from '@wildrydes/test-kit';
import { InMemoryImportReportStore } from '@wildrydes/test-kit';
import { InMemoryImportedSummaryStore } from '@wildrydes/test-kit';
import { InMemoryUploadedFileSource } from '@wildrydes/test-kit';
import { createImportUploadHandler, decodeS3EventKey } from './import-upload.handler';
import { ImportTelemetryFile } from './import-telemetry-file.use-case';
import { gzipped, ndjson, readingLines, shadowfaxSummaryLines } from '@wildrydes/test-kit';

const setup = () => {
  const source = new InMemoryUploadedFileSource();
  const stream = new InMemoryTelemetryStream();
  const table = new InMemoryImportedSummaryStore();
  const reports = new InMemoryImportReportStore();
  const importTelemetryFile = new ImportTelemetryFile(source, stream, table, new InMemoryQuarantine(), reports, {});
  const handler = createImportUploadHandler({
    importTelemetryFile,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
  });
  return { source, stream, table, reports, handler };
};

describe('import-upload handler', () => {
  it('imports the object of an ObjectCreated event, judged at the event time', async () => {
    const { source, table, reports, handler } = setup();
    source.put('wildrydes-data', 'uploads/shadowfax-2016-02-12.json', ndjson(shadowfaxSummaryLines()));
    const result = await handler(loadEvent<S3Event>('s3/object-created-put.json'));
    expect(result.imported).toEqual([expect.objectContaining({ key: 'uploads/shadowfax-2016-02-12.json', summariesWritten: 1440, eventTime: '2026-11-22T10:05:00.000Z' })]);
    expect(table.items()).toHaveLength(1440);
    expect(reports.keys()).toEqual(['reports/shadowfax-2016-02-12.json.json']);
  });

  it('decodes URL-encoded keys and skips what is not an upload', async () => {
    const { source, stream, handler } = setup();
    source.put('wildrydes-data', 'uploads/fleet day 2.ndjson.gz', gzipped(ndjson(readingLines(3))));
    const result = await handler(loadEvent<S3Event>('s3/object-created-mixed-keys.json'));
    expect(result.imported.map((r) => [r.key, r.readingsSent])).toEqual([['uploads/fleet day 2.ndjson.gz', 3]]);
    expect(result.skipped).toEqual(['reports/shadowfax-2016-02-12.json.json', 'uploads/']);
    expect(stream.records()).toHaveLength(3);
  });

  it('throws when an import fails, so S3 invokes it again', async () => {
    const { handler } = setup();
    await expect(handler(loadEvent<S3Event>('s3/object-created-put.json'))).rejects.toMatchObject({ code: 'UPLOADED_OBJECT_NOT_FOUND' });
  });

  it.each([['uploads/a+b%2Bc.json', 'uploads/a b+c.json'], ['uploads/%C3%A9pona.json', 'uploads/épona.json']])('decodes the event key %s', (raw, key) => {
    expect(decodeS3EventKey(raw)).toBe(key);
  });
});
