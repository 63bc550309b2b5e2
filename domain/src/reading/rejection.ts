/** Why a record or line was not accepted. Codes are stable: dashboards, quarantine queries and tests rely on them. */
export const REJECTION_CODES = [
  'EMPTY_RECORD',
  'RECORD_TOO_LARGE',
  'LINE_TOO_LARGE',
  'INVALID_UTF8',
  'INVALID_JSON',
  'NOT_AN_OBJECT',
  'MISSING_FIELD',
  'WRONG_TYPE',
  'NOT_FINITE',
  'LATITUDE_OUT_OF_RANGE',
  'LONGITUDE_OUT_OF_RANGE',
  'NEGATIVE_DISTANCE',
  'IMPOSSIBLE_DISTANCE',
  'NON_INTEGER_POINTS',
  'POINTS_OUT_OF_RANGE',
  'EMPTY_NAME',
  'NAME_TOO_LONG',
  'NAME_CONTROL_CHARACTERS',
  'INVALID_TIMESTAMP',
  'TIMESTAMP_IN_FUTURE',
  'TIMESTAMP_TOO_OLD',
  // Whole bodies and files, refused at a door before any line is read (HTTP, uploads).
  'BODY_TOO_LARGE',
  'UNSUPPORTED_CONTENT_TYPE',
  'UNSUPPORTED_CONTENT_ENCODING',
  'INVALID_GZIP',
] as const;

/** Codes a door gives a whole body or file; the reading decoder never does. */
export const WHOLE_BODY_REJECTION_CODES: readonly RejectionCode[] = ['BODY_TOO_LARGE', 'UNSUPPORTED_CONTENT_TYPE', 'UNSUPPORTED_CONTENT_ENCODING', 'INVALID_GZIP'];

export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  /** A sentence for a person: what was wrong and, where it helps, the limit. */
  readonly reason: string;
  /** 1-based line within the record or file; 0 when the whole record was rejected. */
  readonly line: number;
  /** The rejected text as received (the whole record when line is 0), kept for the quarantine. */
  readonly raw: string;
  /** `base64` when raw holds bytes that are not text (a whole file refused, e.g. a corrupt gzip). */
  readonly rawEncoding?: 'base64';
  /** The size in bytes of what was refused, when raw holds only its first part. */
  readonly rawBytes?: number;
}
