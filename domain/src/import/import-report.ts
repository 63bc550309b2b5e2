import type { RejectionCode } from '../reading/rejection';

/** A rejected line as the report lists it (the quarantine keeps the full raw text). */
export interface ReportedRejection {
  readonly line: number;
  readonly code: RejectionCode;
  readonly reason: string;
  /** The line's start, at most REPORTED_RAW_CHARACTERS characters. */
  readonly raw: string;
}

/**
 * What one import did, written to `reports/<key without uploads/>.json`. Everything but `durationMs` is a
 * function of the object's content and event time, so importing the same object again gives the same report.
 */
export interface ImportReport {
  readonly bucket: string;
  readonly key: string;
  /** The S3 event time (ISO 8601): the `now` readings are judged against, and the quarantine's receivedAt. */
  readonly eventTime: string;
  /**
   * `imported`: done. `rejected`: the file as a whole is unusable (e.g. not gzip, truncated): nothing was sent, its
   * bytes are in the quarantine with `fileRejection`'s reason, and it is not retried. `in-progress`: the durable
   * progress of an import under way (`chunksSent`), so a retry after a crash resumes instead of resending.
   * `failed`: the stream refused entries; the import throws and S3/Lambda runs it again, resuming.
   */
  readonly status: 'imported' | 'rejected' | 'in-progress' | 'failed';
  /** The object version imported (its ETag, no quotes): a report marks that version as imported, per key. */
  readonly eTag?: string;
  /** Lines per chunk the import was sent in; progress is counted in these chunks. */
  readonly chunkLines?: number;
  /** Chunks whose readings and summaries were all taken (in order from the first). */
  readonly chunksSent?: number;
  /** Lines of the chunk after `chunksSent` that still have to be sent (the others of that chunk were taken). */
  readonly retryLines?: readonly number[];
  /** Why the file as a whole was refused, when status is `rejected`. */
  readonly fileRejection?: { readonly code: RejectionCode; readonly reason: string };
  readonly linesRead: number;
  readonly blankLines: number;
  readonly readingsSent: number;
  readonly summariesWritten: number;
  readonly linesRejected: number;
  readonly rejectionsByCode: Readonly<Record<string, number>>;
  /** The first rejections, in line order. */
  readonly rejections: readonly ReportedRejection[];
  /** Quarantine object keys holding every rejected line. */
  readonly quarantineObjects: readonly string[];
  readonly streamEntriesRefused: number;
  readonly durationMs: number;
}

export const REPORTED_REJECTIONS = 100;
export const REPORTED_RAW_CHARACTERS = 200;
