import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { archiveObjectKey, type RejectionCode } from '@wildrydes/domain';
import { InMemoryImportReportStore } from '@wildrydes/test-kit';
import { InMemoryImportedSummaryStore } from '@wildrydes/test-kit';
import { InMemoryUploadedFileSource, type UploadedBody } from '@wildrydes/test-kit';
import { ImportTelemetryFile, REFUSED_FILE_KEPT_BYTES, StreamEntriesRefusedError, importReportKey, isUploadKey, type ImportTelemetryFileOptions } from './import-telemetry-file.use-case';
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

  describe('a file that is unusable as a whole (issue 12, defect 1)', () => {
    const good = gzipped(ndjson(readingLines(5)));
    it.each<[string, Uint8Array | string, RegExp]>([
      ['a 0-byte .gz', new Uint8Array(), /empty \(0 bytes\)/],
      ['plain text named .gz', ndjson(readingLines(3)), /not gzip data/],
      ['a truncated .gz (its first 80%)', good.subarray(0, Math.floor(good.length * 0.8)), /truncated/],
    ])('refuses %s with a report that says why, keeps its bytes in the quarantine, sends nothing and does not throw', async (_, body, why) => {
      const { stream, quarantine, reports, run } = setup();
      const report = await run('uploads/bad.ndjson.gz', body);
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
      expect(report).toMatchObject({ status: 'rejected', readingsSent: 0, fileRejection: { code: 'INVALID_GZIP', reason: expect.stringMatching(why) as unknown as string } });
      expect(stream.records()).toEqual([]);
      expect(reports.get('reports/bad.ndjson.gz.json')).toEqual(report);
      const key = archiveObjectKey('rejected', EVENT_TIME, `upload:${BUCKET}/uploads/bad.ndjson.gz`);
      expect(report.quarantineObjects).toEqual([key]);
      const [kept] = quarantine.objects().get(key) ?? [];
      expect(kept).toMatchObject({ code: 'INVALID_GZIP', line: 0, rawEncoding: 'base64' });
      expect(Buffer.from(kept?.raw ?? '', 'base64').equals(bytes)).toBe(true);
    });

    it('lets the next upload import normally, and a repeated notification of the bad file changes nothing', async () => {
      const { stream, quarantine, run } = setup();
      await run('uploads/a-bad.ndjson.gz', 'not gzip at all');
      const next = await run('uploads/b-good.ndjson.gz', good);
      expect(next).toMatchObject({ status: 'imported', readingsSent: 5 });
      const before = quarantine.objects();
      const again = await run('uploads/a-bad.ndjson.gz', 'not gzip at all');
      expect(again.status).toBe('rejected');
      expect(stream.records()).toHaveLength(5);
      expect(quarantine.objects()).toEqual(before);
    });

    it('keeps the first MiB of a big bad file with its whole size', async () => {
      const { quarantine, run } = setup();
      const big = Buffer.alloc(REFUSED_FILE_KEPT_BYTES + 10_000, 0x41);
      await run('uploads/big.ndjson.gz', big);
      const [kept] = [...quarantine.objects().values()].flat();
      expect(Buffer.from(kept?.raw ?? '', 'base64').length).toBe(REFUSED_FILE_KEPT_BYTES);
      expect(kept?.rawBytes).toBe(big.length);
    });
  });

  describe('an import run more than once never sends a reading twice (defects 2 and 3)', () => {
    const lines = readingLines(1_000);

    it('does nothing for a notification of a version already imported (a redelivery, or a restart)', async () => {
      const { stream, table, run } = setup({ chunkLines: 100 });
      const file = ndjson([...lines, ...summaries.slice(0, 10)]);
      const first = await run('uploads/day.ndjson', file);
      const second = await run('uploads/day.ndjson', file);
      expect(second).toEqual(first);
      expect(stream.records()).toHaveLength(1_000);
      expect(table.calls).toBe(1);
    });

    it('imports a new version of the same key (a new ETag)', async () => {
      const { stream, run } = setup();
      await run('uploads/day.ndjson', ndjson(lines.slice(0, 10)));
      const second = await run('uploads/day.ndjson', ndjson(lines.slice(0, 20)));
      expect(second).toMatchObject({ status: 'imported', readingsSent: 20 });
      expect(stream.records()).toHaveLength(30);
    });

    it('resumes after the chunks already sent when a retry follows a stream failure: each reading sent once', async () => {
      let failAfter = 3;
      const stream = new InMemoryTelemetryStream({ maxRetries: 0 });
      const { source, table, quarantine, reports } = setup();
      const put = stream.put.bind(stream);
      // The stream takes three chunks, then refuses a few entries of the fourth, then recovers.
      stream.put = async (records) => {
        if (failAfter-- === 0) {
          stream.failWith((r) => (decoder.decode(r.data).includes('"Distance":') && records.indexOf(r) % 7 === 0 ? { errorCode: 'ProvisionedThroughputExceededException' } : undefined));
          const outcome = await put(records);
          stream.failWith(undefined);
          return outcome;
        }
        return put(records);
      };
      const importer = new ImportTelemetryFile(source, stream, table, quarantine, reports, { chunkLines: 100 });
      source.put(BUCKET, 'uploads/day.ndjson.gz', gzipped(ndjson([...lines.slice(0, 500), 'bad', ...lines.slice(500)])));
      const upload = { bucket: BUCKET, key: 'uploads/day.ndjson.gz', eventTime: EVENT_TIME };
      await expect(importer.execute(upload)).rejects.toThrow(StreamEntriesRefusedError);
      expect(reports.get('reports/day.ndjson.gz.json')).toMatchObject({ status: 'failed', chunksSent: 3 });
      const done = await importer.execute(upload);
      expect(done).toMatchObject({ status: 'imported', readingsSent: 1_000, linesRejected: 1 });
      const sent = streamLines(stream);
      expect(sent).toHaveLength(1_000);
      expect(new Set(sent).size).toBe(1_000);
    });

    it('resumes from the durable progress after a crash mid-import (the process died after chunk 4)', async () => {
      const { source, stream, table, quarantine, reports } = setup();
      const crashing = new InMemoryImportReportStore();
      let saves = 0;
      const save = crashing.save.bind(crashing);
      crashing.save = async (key, report) => {
        await save(key, report);
        await reports.save(key, report);
        if (report.status === 'in-progress' && ++saves === 4) throw new Error('killed');
      };
      source.put(BUCKET, 'uploads/day.ndjson', ndjson(lines));
      const upload = { bucket: BUCKET, key: 'uploads/day.ndjson', eventTime: EVENT_TIME };
      await expect(new ImportTelemetryFile(source, stream, table, quarantine, crashing, { chunkLines: 100 }).execute(upload)).rejects.toThrow('killed');
      expect(stream.records()).toHaveLength(400);
      const done = await new ImportTelemetryFile(source, stream, table, quarantine, reports, { chunkLines: 100 }).execute(upload);
      expect(done).toMatchObject({ status: 'imported', readingsSent: 1_000, chunksSent: 10 });
      expect(new Set(streamLines(stream)).size).toBe(1_000);
      expect(stream.records()).toHaveLength(1_000);
    });
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
