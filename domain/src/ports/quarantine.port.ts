import type { Rejection } from '../reading/rejection';

/** What was refused, from where, and why. */
export interface QuarantinedRecord {
  /** An opaque, stable position of the source (e.g. shard and sequence number, or file and line). */
  readonly sourcePosition: string;
  /** When the source received it (epoch ms); it partitions the quarantine, as readings may have no valid time. */
  readonly receivedAt: number;
  readonly rejections: readonly Rejection[];
}

/** Keeps every refused record with its reasons (S3 `rejected/`), so nothing is silently dropped. */
export interface Quarantine {
  keep(records: readonly QuarantinedRecord[]): Promise<void>;
}
