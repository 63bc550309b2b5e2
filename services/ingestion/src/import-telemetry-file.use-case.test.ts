import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { archiveObjectKey, type RejectionCode } from '@wildrydes/domain';
import { InMemoryImportReportStore } from '@wildrydes/test-kit';
import { InMemoryImportedSummaryStore } from '@wildrydes/test-kit';
import { InMemoryUploadedFileSource, type UploadedBody } from '@wildrydes/test-kit';
import { ImportTelemetryFile, StreamEntriesRefusedError, importReportKey, isUploadKey, type ImportTelemetryFileOptions } from './import-telemetry-file.use-case';
import { gzipped, ndjson, READINGS_START, readingLine, readingLines, shadowfaxSummaryLines } from '@wildrydes/test-kit';

const BUCKET = 'wildrydes-data';
const EVENT_TIME = Date.UTC(2026, 10, 23, 8, 30);

const setup = (options: Partial<ImportTelemetryFileOptions> = {}, chunkBytes = 64 * 1024) => {
  const source = new InMemoryUploadedFileSource(chunkBytes);
  const stream = new InMemoryTelemetryStream();
  const table = new InMemoryImportedSummaryStore();
  const quarantine = new InMemoryQuarantine();
  const reports = new InMemoryImportReportStore();
  let tick = 0;
  const importer = new ImportTelemetryFile(source, stream, table, quarantine, reports, { clock: () => (tick += 5), ...options });
  const run = async (key: string, body: UploadedBody) => {
    source.put(BUCKET, key, body);
    return importer.execute({ bucket: BUCKET, key, eventTime: EVENT_TIME });
  };
  return { source, stream, table, quarantine, reports, importer, run };
};

const decoder = new TextDecoder();
const streamLines = (stream: InMemoryTelemetryStream): string[] => stream.records().map((r) => decoder.decode(r.data));
const quarantinedLines = (quarantine: InMemoryQuarantine): { line: number; code: string }[] =>
  [...quarantine.objects().values()].flat().map(({ line, code }) => ({ line, code }));

const summaries = shadowfaxSummaryLines();
const readings = readingLines(5);
const badSummary = JSON.stringify({ Name: 'Shadowfax', StatusTime: '2016-02-12 00:00:00.000', Distance: 1310, MinMagicPoints: 150, MaxMagicPoints: 140, MinHealthPoints: 150, MaxHealthPoints: 160 });

interface FileCase {
  readonly name: string;
  readonly key: string;
  readonly body: UploadedBody;
  readonly readingsSent: number;
  readonly summariesWritten: number;
  readonly rejected: readonly { line: number; code: RejectionCode }[];
  readonly linesRead: number;
}

const cases: FileCase[] = [
  { name: "the workshop's minute-summary file (1,440 lines)", key: 'uploads/shadowfax-2016-02-12.json', body: ndjson(summaries), readingsSent: 0, summariesWritten: 1440, rejected: [], linesRead: 1440 },
  { name: 'raw readings as NDJSON', key: 'uploads/bucephalus.ndjson', body: ndjson(readings), readingsSent: 5, summariesWritten: 0, rejected: [], linesRead: 5 },
  {
    name: 'a mixed file with bad lines, numbered as in the file',
    key: 'uploads/mixed.ndjson',
    body: ndjson([readings[0]!, summaries[0]!, 'not json', '', readingLine('Bucephalus', READINGS_START, { Latitude: 95 }), badSummary, summaries[1]!, '[1,2]']),
    readingsSent: 1,
    summariesWritten: 2,
    rejected: [{ line: 3, code: 'INVALID_JSON' }, { line: 5, code: 'LATITUDE_OUT_OF_RANGE' }, { line: 6, code: 'MISSING_FIELD' }, { line: 8, code: 'NOT_AN_OBJECT' }],
    linesRead: 8,
  },
  { name: 'a gzip file', key: 'uploads/day.ndjson.gz', body: gzipped(ndjson([...readings, ...summaries.slice(0, 3)])), readingsSent: 5, summariesWritten: 3, rejected: [], linesRead: 8 },
  { name: 'CRLF line ends and no final line break', key: 'uploads/windows.json', body: ndjson(readings, '\r\n').slice(0, -2), readingsSent: 5, summariesWritten: 0, rejected: [], linesRead: 5 },
  { name: 'an empty file', key: 'uploads/empty.json', body: '', readingsSent: 0, summariesWritten: 0, rejected: [], linesRead: 0 },
  {
    name: 'a line that is not UTF-8, and one from the future',
    key: 'uploads/odd.ndjson',
    body: Buffer.concat([Buffer.from(readings[0]! + '\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(readingLine('Bucephalus', EVENT_TIME + 3_600_000) + '\n')]),
    readingsSent: 1,
    summariesWritten: 0,
    rejected: [{ line: 2, code: 'INVALID_UTF8' }, { line: 3, code: 'TIMESTAMP_IN_FUTURE' }],
    linesRead: 3,
  },
];

describe('ImportTelemetryFile', () => {
  it.each(cases)('imports $name', async ({ key, body, readingsSent, summariesWritten, rejected, linesRead }) => {
    // Tiny chunks of bytes: every line crosses chunk boundaries.
    const { stream, table, quarantine, reports, run } = setup({}, 7);
    const report = await run(key, body);
    expect(report).toMatchObject({ status: 'imported', linesRead, readingsSent, summariesWritten, linesRejected: rejected.length, streamEntriesRefused: 0 });
    expect(stream.records()).toHaveLength(readingsSent);
    expect(table.items()).toHaveLength(summariesWritten);
    expect(quarantinedLines(quarantine)).toEqual(rejected);
    expect(report.rejections.map(({ line, code }) => ({ line, code }))).toEqual(rejected);
    expect(reports.get(importReportKey(key))).toEqual(report);
  });

  it('puts each reading as written, one record each, partition key = Name, with a line break', async () => {
    const { stream, run } = setup();
    await run('uploads/two.ndjson', ndjson([readingLine('Shadowfax', READINGS_START), readingLine('Rocinante', READINGS_START)], '\r\n'));
    expect(stream.records().map((r) => r.partitionKey)).toEqual(['Shadowfax', 'Rocinante']);
    expect(streamLines(stream)).toEqual([readingLine('Shadowfax', READINGS_START) + '\n', readingLine('Rocinante', READINGS_START) + '\n']);
  });

  it('writes summaries as the workshop items, StatusTime as given, with their origin and no reading list', async () => {
    const { table, run } = setup();
    await run('uploads/shadowfax-2016-02-12.json', ndjson(summaries));
    const items = table.items();
    expect(items[0]).toEqual({ ...JSON.parse(summaries[0]!), ImportedFrom: `s3://${BUCKET}/uploads/shadowfax-2016-02-12.json` });
    expect(items.map((i) => i['StatusTime'])).toContain('2016-02-12 23:59:00.000');
    expect(items.every((i) => !('Readings' in i))).toBe(true);
  });

  it('sends in chunks of lines: one stream put and one table write per chunk at most', async () => {
    const { stream, table, run } = setup({ chunkLines: 100 });
    const calls: number[] = [];
    const put = stream.put.bind(stream);
    stream.put = async (records) => { calls.push(records.length); return put(records); };
    await run('uploads/mixed.ndjson', ndjson([...readingLines(250), ...summaries.slice(0, 250)]));
    expect(calls).toEqual([100, 100, 50]);
    expect(table.calls).toBe(3);
  });

  it('quarantines one object per file, named by the file and received at the event time', async () => {
    const { quarantine, run } = setup();
    const report = await run('uploads/bad.json', ndjson(['nope', readings[0]!]));
    const key = archiveObjectKey('rejected', EVENT_TIME, `upload:${BUCKET}/uploads/bad.json`);
    expect([...quarantine.objects().keys()]).toEqual([key]);
    expect(report.quarantineObjects).toEqual([key]);
    expect(quarantine.objects().get(key)?.[0]).toMatchObject({ sourcePosition: `upload:${BUCKET}/uploads/bad.json`, line: 1, raw: 'nope', receivedAt: new Date(EVENT_TIME).toISOString() });
  });

  it('quarantines many rejections in deterministic #part-N objects, and lists only the first 100 in the report', async () => {
    const { quarantine, run } = setup({ quarantinePartSize: 100 });
    const report = await run('uploads/junk.txt', ndjson(Array.from({ length: 250 }, (_, i) => `junk ${i}`)));
    const parts = [...quarantine.objects().entries()];
    expect(parts.map(([key]) => key)).toEqual([1, 2, 3].map((n) => archiveObjectKey('rejected', EVENT_TIME, `upload:${BUCKET}/uploads/junk.txt#part-${n}`)));
    expect(parts.map(([, lines]) => lines.length)).toEqual([100, 100, 50]);
    expect(parts[2]?.[1][49]?.line).toBe(250);
    expect(report).toMatchObject({ linesRejected: 250, rejectionsByCode: { INVALID_JSON: 250 }, quarantineObjects: parts.map(([key]) => key) });
    expect(report.rejections).toHaveLength(100);
  });

  it('refuses a summary-shaped line with both reasons, and an oversize line without holding it', async () => {
    const { quarantine, run } = setup();
    const huge = readingLine('Bucephalus', READINGS_START, { Note: 'x'.repeat(200_000) });
    const report = await run('uploads/odd.json', ndjson([badSummary, huge, readings[1]!]));
    const [summaryLine, hugeLine] = [...quarantine.objects().values()].flat();
    expect(summaryLine?.reason).toMatch(/Latitude is missing \(as a minute summary: MinMagicPoints 150 is above MaxMagicPoints 140\)/);
    expect(hugeLine).toMatchObject({ line: 2, code: 'LINE_TOO_LARGE' });
    expect(hugeLine?.raw.length).toBe(16_384);
    expect(report.readingsSent).toBe(1);
  });

  it('counts blank lines and keeps numbering across them', async () => {
    const { run } = setup();
    // The break after the last line ends it; it does not start a fifth.
    const report = await run('uploads/gaps.json', ['', readings[0], '   ', 'bad', ''].join('\n'));
    expect(report).toMatchObject({ linesRead: 4, blankLines: 2, readingsSent: 1 });
    expect(report.rejections[0]?.line).toBe(4);
  });

  it('changes nothing when the same object is imported again (readings are the same records; summaries overwrite)', async () => {
    const { stream, table, quarantine, run } = setup();
    const file = ndjson([...summaries.slice(0, 60), ...readings, 'bad line', summaries[0]!]);
    const first = await run('uploads/again.json', file);
    const state = { items: table.items(), quarantine: quarantine.objects(), records: new Set(streamLines(stream)) };
    const second = await run('uploads/again.json', file);
    expect({ ...second, durationMs: 0 }).toEqual({ ...first, durationMs: 0 });
    expect(table.items()).toEqual(state.items);
    expect(quarantine.objects()).toEqual(state.quarantine);
    // Delivered twice, the same readings: consumers key them by (Name, StatusTime), so they count once.
    expect(new Set(streamLines(stream))).toEqual(state.records);
  });

  it('fails the import when the stream refuses entries after its retries, leaving a failed report', async () => {
    const source = new InMemoryUploadedFileSource();
    const stream = new InMemoryTelemetryStream({ failureMode: (record) => (record.partitionKey === 'Rocinante' ? { errorCode: 'KMSAccessDeniedException' } : undefined) });
    const reports = new InMemoryImportReportStore();
    const importer = new ImportTelemetryFile(source, stream, new InMemoryImportedSummaryStore(), new InMemoryQuarantine(), reports, {});
    source.put(BUCKET, 'uploads/x.json', ndjson([readingLine('Shadowfax', READINGS_START), readingLine('Rocinante', READINGS_START)]));
    const failure = importer.execute({ bucket: BUCKET, key: 'uploads/x.json', eventTime: EVENT_TIME });
    await expect(failure).rejects.toThrow(StreamEntriesRefusedError);
    await expect(failure).rejects.toMatchObject({ code: 'STREAM_ENTRIES_REFUSED', refused: 1 });
    expect(reports.get('reports/x.json.json')).toMatchObject({ status: 'failed', streamEntriesRefused: 1, readingsSent: 1 });
  });

  it('propagates a table or quarantine failure, so the import is retried', async () => {
    const { table, quarantine, run } = setup();
    table.failWith(new Error('table unreachable'));
    await expect(run('uploads/s.json', ndjson(summaries.slice(0, 2)))).rejects.toThrow('table unreachable');
    table.failWith(undefined);
    quarantine.failWith(new Error('bucket unreachable'));
    await expect(run('uploads/q.json', 'bad\n')).rejects.toThrow('bucket unreachable');
  });

  it.each([
    ['uploads/a.json', true, 'reports/a.json.json'],
    ['uploads/2016/02/day.ndjson.gz', true, 'reports/2016/02/day.ndjson.gz.json'],
    ['uploads/', false, undefined],
    ['uploads/folder/', false, undefined],
    ['reports/a.json.json', false, undefined],
  ])('treats %s as an upload: %s', (key, upload, reportKey) => {
    expect(isUploadKey(key)).toBe(upload);
    if (reportKey !== undefined) expect(importReportKey(key)).toBe(reportKey);
  });
});
