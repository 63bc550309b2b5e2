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
  /** `failed` when the stream refused entries: the import throws and S3/Lambda runs it again. */
  readonly status: 'imported' | 'failed';
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
