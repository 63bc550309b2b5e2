import {
  archiveObjectKey, decodeLine, DEFAULT_READING_LIMITS, type Quarantine, type Rejection, type TelemetryRecord, type TelemetryStream,
} from '@wildrydes/domain';
import {
  REPORTED_RAW_CHARACTERS, REPORTED_REJECTIONS, type ImportedMinuteSummary, type ImportedSummaryStore, type ImportReport,
  type ImportReportStore, type ReportedRejection, type UploadedFile, type UploadedFileSource,
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

/** How much of a file refused whole the quarantine keeps (the upload itself stays under `uploads/`). */
export const REFUSED_FILE_KEPT_BYTES = 1024 * 1024;

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
 *   key = Name;
 * - a **minute summary** in the workshop's file shape: put into UnicornSensorData as an item keyed by
 *   (Name, StatusTime as given), which a second import overwrites with the same item;
 * - neither: quarantined with its line number and the decoder's reason (plus the summary validator's when the
 *   line tried to be a summary), in one object per file, or `#part-N` objects when there are many.
 *
 * S3 notifications are at least once and Lambda retries, so an import runs more than once for one object. It
 * never sends a reading twice for that: a gzip file is decompressed whole first (a corrupt, truncated or empty one
 * is refused as a whole, its bytes quarantined, before anything is sent, and not retried); the report doubles as
 * the durable marker of the object version (ETag) imported and of the chunks already sent, saved after each chunk,
 * so a retry after a failure or a crash resumes after the last chunk sent, and a repeated notification of a version
 * already imported does nothing. (A crash between a chunk's PutRecords and its progress save resends that one
 * chunk: the window is one chunk, not the file.)
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
    const reportKey = importReportKey(key);
    const importedFrom = `s3://${bucket}/${key}`;
    const rejected = new RejectedLines(this.quarantine, uploadSourcePosition(bucket, key), eventTime, this.partSize);
    const counts = { linesRead: 0, blankLines: 0, readingsSent: 0, summariesWritten: 0 };

    let file = await this.source.open(bucket, key);
    const eTag = file.eTag;
    const prior = await this.reports.load(reportKey);
    const sameVersion = prior !== undefined && eTag !== undefined && prior.eTag === eTag;
    if (sameVersion && (prior.status === 'imported' || prior.status === 'rejected')) {
      // A repeated notification (or a restart) for a version already imported: nothing to do.
      await discard(file.bytes);
      return prior;
    }
    // Progress of an earlier attempt at this very version, counted in the same chunks: resume after it.
    const resume = sameVersion && prior.chunkLines === this.chunkLines ? { chunksSent: prior.chunksSent ?? 0, retryLines: new Set(prior.retryLines ?? []) } : undefined;

    const report = (status: ImportReport['status'], streamEntriesRefused: number, progress: { chunksSent: number; retryLines?: number[] }): ImportReport => ({
      bucket,
      key,
      eventTime: new Date(eventTime).toISOString(),
      status,
      ...(eTag === undefined ? {} : { eTag }),
      chunkLines: this.chunkLines,
      chunksSent: progress.chunksSent,
      ...(progress.retryLines === undefined || progress.retryLines.length === 0 ? {} : { retryLines: progress.retryLines }),
      ...counts,
      linesRejected: rejected.count,
      rejectionsByCode: Object.fromEntries([...rejected.byCode].sort(([a], [b]) => (a < b ? -1 : 1))),
      rejections: rejected.first,
      quarantineObjects: rejected.objectKeys(),
      streamEntriesRefused,
      durationMs: this.clock() - startedAt,
    });

    if (file.gzipped) {
      // Decompressed whole before anything is sent: a bad file must not leave half its readings on the stream.
      const reason = await checkGzip(file.bytes);
      if (reason !== undefined) {
        const refusal = { reason, ...(await firstBytes(await this.source.open(bucket, key))) };
        await this.quarantine.keep([{
          sourcePosition: uploadSourcePosition(bucket, key), receivedAt: eventTime,
          rejections: [{
            code: 'INVALID_GZIP', reason: refusal.reason, line: 0, raw: refusal.kept.toString('base64'), rawEncoding: 'base64',
            ...(refusal.size > refusal.kept.length ? { rawBytes: refusal.size } : {}),
          }],
        }]);
        const refused: ImportReport = {
          ...report('rejected', 0, { chunksSent: 0 }),
          fileRejection: { code: 'INVALID_GZIP', reason: refusal.reason },
          quarantineObjects: [archiveObjectKey('rejected', eventTime, uploadSourcePosition(bucket, key))],
        };
        await this.reports.save(reportKey, refused);
        return refused;
      }
      file = await this.source.open(bucket, key);
    }

    let records: TelemetryRecord[] = [];
    let recordLines: number[] = [];
    let items: ImportedMinuteSummary[] = [];
    let pending = 0;
    let chunk = 0;

    const flush = async (): Promise<void> => {
      if (pending === 0) return;
      const index = chunk++;
      const alreadySent = resume !== undefined && index < resume.chunksSent;
      const partlySent = resume !== undefined && index === resume.chunksSent && resume.retryLines.size > 0;
      if (alreadySent) {
        counts.readingsSent += records.length;
        counts.summariesWritten += items.length;
      } else {
        // Of a chunk the stream took in part, only the lines it refused are sent again.
        const toSend = partlySent ? records.filter((_, i) => resume.retryLines.has(recordLines[i] as number)) : records;
        counts.readingsSent += records.length - toSend.length;
        if (toSend.length > 0) {
          const outcome = await this.stream.put(toSend);
          counts.readingsSent += outcome.accepted;
          if (outcome.rejected.length > 0) {
            const first = outcome.rejected[0]!;
            const refusedRecords = new Set(outcome.rejected.map((r) => r.record));
            const retryLines = toSend.flatMap((record) => (refusedRecords.has(record) ? [recordLines[records.indexOf(record)] as number] : []));
            await this.reports.save(reportKey, report('failed', outcome.rejected.length, { chunksSent: index, retryLines }));
            throw new StreamEntriesRefusedError(key, outcome.rejected.length, `${first.errorCode}: ${first.errorMessage}`);
          }
        }
        if (items.length > 0) counts.summariesWritten += (await this.summaries.putImported(items)).written;
        if (records.length > 0 || items.length > 0) await this.reports.save(reportKey, report('in-progress', 0, { chunksSent: index + 1 }));
      }
      records = [];
      recordLines = [];
      items = [];
      pending = 0;
    };

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
          recordLines.push(lineNumber);
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
    const done = report('imported', 0, { chunksSent: chunk });
    await this.reports.save(reportKey, done);
    return done;
  }
}

/** Reads a gzip body through to its end; says why when it is not a whole, valid gzip file. */
async function checkGzip(bytes: AsyncIterable<Uint8Array>): Promise<string | undefined> {
  let size = 0;
  async function* counted(): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const piece of bytes) {
      size += piece.byteLength;
      yield piece;
    }
  }
  try {
    for await (const _ of gunzipChunks(counted())) { /* decompressed and dropped: only whether it ends well matters */ }
    return undefined;
  } catch (error) {
    if (size === 0) return 'the file is empty (0 bytes), which is not gzip';
    const why = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'it ends before the gzip stream does (truncated)' : 'it is not gzip data';
    return `the file is not a valid gzip file: ${why} (${(error as Error).message})`;
  }
}

/** The first REFUSED_FILE_KEPT_BYTES of a file, and its whole size (read through when the source does not say it). */
async function firstBytes(file: UploadedFile): Promise<{ kept: Buffer; size: number }> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  for await (const piece of file.bytes) {
    size += piece.byteLength;
    if (keptBytes < REFUSED_FILE_KEPT_BYTES) {
      const part = Buffer.from(piece.buffer, piece.byteOffset, Math.min(piece.byteLength, REFUSED_FILE_KEPT_BYTES - keptBytes));
      kept.push(Buffer.from(part));
      keptBytes += part.length;
    } else if (file.size !== undefined) {
      break;
    }
  }
  return { kept: Buffer.concat(kept), size: file.size ?? size };
}

/** Lets go of a body not read (a Node stream's iterator destroys the stream on return). */
async function discard(bytes: AsyncIterable<Uint8Array>): Promise<void> {
  await bytes[Symbol.asyncIterator]().return?.();
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
