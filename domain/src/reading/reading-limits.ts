/**
 * Every limit the decoder enforces. A reading outside them is rejected with a code, never clamped.
 */
export interface ReadingLimits {
  /** Bytes of one Kinesis record (the Kinesis default maximum record size, 1 MiB). */
  readonly maxRecordBytes: number;
  /** Characters of one NDJSON line; a reading is ~190 bytes, so 16 KiB leaves room for extra fields. */
  readonly maxLineLength: number;
  /** Characters of a unicorn name (DynamoDB keys and Athena columns stay small; the workshop used VARCHAR(32)). */
  readonly maxNameLength: number;
  /** Metres in one second: 1,000 m/s is about Mach 3, past anything a unicorn sensor can honestly report. */
  readonly maxDistancePerReading: number;
  /** Absolute value a vital may have; the workshop's random walk drifts ~42 points an hour from 150. */
  readonly maxAbsPoints: number;
  /** How far ahead of `now` a reading's time may be (sensor clock skew), in milliseconds. */
  readonly maxFutureSkewMs: number;
  /** The earliest accepted reading time (epoch ms); the workshop's oldest data is from 2016. */
  readonly minTime: number;
}

export const DEFAULT_READING_LIMITS: ReadingLimits = {
  maxRecordBytes: 1_048_576,
  maxLineLength: 16_384,
  maxNameLength: 64,
  maxDistancePerReading: 1_000,
  maxAbsPoints: 1_000_000,
  maxFutureSkewMs: 5 * 60_000,
  minTime: Date.UTC(2000, 0, 1),
};
