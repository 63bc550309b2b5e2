import {
  archiveObjectKey, decodeLine, DEFAULT_READING_LIMITS, type Quarantine, type Rejection, type TelemetryRecord, type TelemetryStream,
} from '@wildrydes/domain';
import {
  REPORTED_RAW_CHARACTERS, REPORTED_REJECTIONS, type ImportedMinuteSummary, type ImportedSummaryStore, type ImportReport,
  type ImportReportStore, type ReportedRejection, type UploadedFileSource,
} from '@wildrydes/domain';
import { isSummaryRejection, validateMinuteSummaryLine } from './minute-summary-line';
import { gunzipChunks, isInvalidUtf8Line, splitLines } from './uploaded-file-lines';

export const UPLOADS_PREFIX = 'uploads/';
export const REPORTS_PREFIX = 'reports/';

/** Whether a key is an uploaded file to import (not a folder marker, not outside `uploads/`). */
export const isUploadKey = (key: string): boolean => key.startsWith(UPLOADS_PREFIX) && key.length > UPLOADS_PREFIX.length && !key.endsWith('/');

/** `uploads/a/b.json.gz` → `reports/a/b.json.gz.json`. */
export const importReportKey = (key: string): string => `${REPORTS_PREFIX}${key.slice(UPLOADS_PREFIX.length)}.json`;

/** The quarantine's source position for an uploaded object (a part suffix is added when rejections are many). */
export const uploadSourcePosition = (bucket: string, key: string): string => `upload:${bucket}/${key}`;

export interface UploadedObject {
  readonly bucket: string;
  readonly key: string;
  /** The S3 event time, epoch ms. */
  readonly eventTime: number;
}

/** The UnicornSensorData item of an imported summary: the workshop's attributes, no reading list, and its origin. */
export interface ImportTelemetryFileOptions {
  /** Lines decoded before their readings and summaries are sent (≤ 500, one PutRecords call). Default 500. */
  readonly chunkLines?: number;
  /** Rejections per quarantine object; more become `#part-N` objects. Default 1,000. */
  readonly quarantinePartSize?: number;
  /** Measures the import's duration (the only thing in the report that varies between runs). */
  readonly clock?: () => number;
}

export class StreamEntriesRefusedError extends Error {
  readonly code = 'STREAM_ENTRIES_REFUSED';
  constructor(readonly key: string, readonly refused: number, firstError: string) {
    super(`import of ${key}: the stream refused ${refused} entries after retries (${firstError}); the import fails so it is retried`);
    this.name = 'StreamEntriesRefusedError';
  }
}

/**
 * Imports one uploaded file, streamed in chunks of lines, with memory bounded by the chunk size whatever the
 * file's size. Each line is one of:
 * - a raw **reading** (the domain decoder accepts it): put on the telemetry stream as it was written, partition
 *   key = Name. Consumers deduplicate readings by (Name, StatusTime), so importing a file again adds nothing;
 * - a **minute summary** in the workshop's file shape: put into UnicornSensorData as an item keyed by
 *   (Name, StatusTime as given), which a second import overwrites with the same item;
 * - neither: quarantined with its line number and the decoder's reason (plus the summary validator's when the
 *   line tried to be a summary), in one object per file, or `#part-N` objects when there are many.
 *
 * Readings are judged against the object's event time, not the clock, so a re-import judges every line the same
 * way. If the stream refuses entries after its retries, the import stops and throws: the failed report and any
 * complete quarantine parts it wrote are rewritten identically by the retry.
 */
export class ImportTelemetryFile {
  private readonly chunkLines: number;
  private readonly partSize: number;
  private readonly clock: () => number;

  constructor(
    private readonly source: UploadedFileSource,
    private readonly stream: TelemetryStream,
    private readonly summaries: ImportedSummaryStore,
    private readonly quarantine: Quarantine,
    private readonly reports: ImportReportStore,
    private readonly options: ImportTelemetryFileOptions,
  ) {
    this.chunkLines = options.chunkLines ?? 500;
    this.partSize = options.quarantinePartSize ?? 1_000;
    this.clock = options.clock ?? Date.now;
  }

  async execute(upload: UploadedObject): Promise<ImportReport> {
    const startedAt = this.clock();
    const { bucket, key, eventTime } = upload;
    const importedFrom = `s3://${bucket}/${key}`;
    const rejected = new RejectedLines(this.quarantine, uploadSourcePosition(bucket, key), eventTime, this.partSize);
    const counts = { linesRead: 0, blankLines: 0, readingsSent: 0, summariesWritten: 0 };
    let records: TelemetryRecord[] = [];
    let items: ImportedMinuteSummary[] = [];
    let pending = 0;

    const flush = async (): Promise<void> => {
      if (records.length > 0) {
        const outcome = await this.stream.put(records);
        counts.readingsSent += outcome.accepted;
        if (outcome.rejected.length > 0) {
          const first = outcome.rejected[0]!;
          await this.reports.save(importReportKey(key), report('failed', outcome.rejected.length));
          throw new StreamEntriesRefusedError(key, outcome.rejected.length, `${first.errorCode}: ${first.errorMessage}`);
        }
      }
      if (items.length > 0) counts.summariesWritten += (await this.summaries.putImported(items)).written;
      records = [];
      items = [];
      pending = 0;
    };
    const report = (status: ImportReport['status'], streamEntriesRefused: number): ImportReport => ({
      bucket,
      key,
      eventTime: new Date(eventTime).toISOString(),
      status,
      ...counts,
      linesRejected: rejected.count,
      rejectionsByCode: Object.fromEntries([...rejected.byCode].sort(([a], [b]) => (a < b ? -1 : 1))),
      rejections: rejected.first,
      quarantineObjects: rejected.objectKeys(),
      streamEntriesRefused,
      durationMs: this.clock() - startedAt,
    });

    const file = await this.source.open(bucket, key);
    for await (const line of splitLines(file.gzipped ? gunzipChunks(file.bytes) : file.bytes)) {
      const lineNumber = ++counts.linesRead;
      if (isInvalidUtf8Line(line)) {
        await rejected.add({ code: 'INVALID_UTF8', reason: 'line is not valid UTF-8', line: lineNumber, raw: line.invalidUtf8 });
      } else if (line.trim() === '') {
        counts.blankLines++;
      } else {
        const reading = decodeLine(line, lineNumber, { now: eventTime });
        if (!('code' in reading)) {
          records.push({ partitionKey: reading.name, data: Buffer.from(line + '\n', 'utf8') });
        } else {
          const summary = validateMinuteSummaryLine(line, lineNumber);
          if (!isSummaryRejection(summary)) items.push({ ...summary, ImportedFrom: importedFrom });
          else if (summary.code === 'NOT_A_SUMMARY') await rejected.add(reading);
          else await rejected.add({ ...reading, reason: `${reading.reason} (as a minute summary: ${summary.reason})` });
        }
      }
      if (++pending >= this.chunkLines) await flush();
    }
    await flush();
    await rejected.finish();
    const done = report('imported', 0);
    await this.reports.save(importReportKey(key), done);
    return done;
  }
}

/**
 * The rejected lines of one file, quarantined in parts of `partSize` as they come, so memory stays bounded.
 * Part names are deterministic: one object named by the file alone when all fit in one part, otherwise
 * `#part-1`, `#part-2`, … (a part is written only once it is full or the file ends).
 */
class RejectedLines {
  count = 0;
  readonly byCode = new Map<string, number>();
  readonly first: ReportedRejection[] = [];
  private pending: Rejection[] = [];
  private parts = 0;
  private whole = false;

  constructor(
    private readonly quarantine: Quarantine,
    private readonly sourcePosition: string,
    private readonly receivedAt: number,
    private readonly partSize: number,
  ) {}

  async add(rejection: Rejection): Promise<void> {
    if (this.pending.length >= this.partSize) await this.keepPart();
    // An oversize line is kept to the decoder's limit: the quarantine holds evidence, not the whole megabyte.
    const raw = rejection.raw.length > DEFAULT_READING_LIMITS.maxLineLength ? rejection.raw.slice(0, DEFAULT_READING_LIMITS.maxLineLength) : rejection.raw;
    this.pending.push(raw === rejection.raw ? rejection : { ...rejection, raw });
    this.count++;
    this.byCode.set(rejection.code, (this.byCode.get(rejection.code) ?? 0) + 1);
    if (this.first.length < REPORTED_REJECTIONS) {
      this.first.push({ line: rejection.line, code: rejection.code, reason: rejection.reason, raw: rejection.raw.slice(0, REPORTED_RAW_CHARACTERS) });
    }
  }

  async finish(): Promise<void> {
    if (this.pending.length === 0) return;
    if (this.parts > 0) return this.keepPart();
    await this.quarantine.keep([{ sourcePosition: this.sourcePosition, receivedAt: this.receivedAt, rejections: this.pending }]);
    this.whole = true;
    this.pending = [];
  }

  /** The keys of the quarantine objects written so far. */
  objectKeys(): string[] {
    if (this.whole) return [archiveObjectKey('rejected', this.receivedAt, this.sourcePosition)];
    return Array.from({ length: this.parts }, (_, i) => archiveObjectKey('rejected', this.receivedAt, this.partPosition(i + 1)));
  }

  private async keepPart(): Promise<void> {
    const part = this.parts + 1;
    await this.quarantine.keep([{ sourcePosition: this.partPosition(part), receivedAt: this.receivedAt, rejections: this.pending }]);
    this.parts = part;
    this.pending = [];
  }

  private partPosition(part: number): string {
    return `${this.sourcePosition}#part-${part}`;
  }
}
