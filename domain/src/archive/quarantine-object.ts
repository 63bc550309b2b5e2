import type { QuarantinedRecord } from '../ports/quarantine.port';
import type { RejectionCode } from '../reading/rejection';
import { archiveObjectKey } from './archive-layout';

/** One line of a quarantine object: one rejection of one record. */
export interface QuarantineLine {
  readonly sourcePosition: string;
  /** ISO 8601, UTC. */
  readonly receivedAt: string;
  readonly line: number;
  readonly code: RejectionCode;
  readonly reason: string;
  readonly raw: string;
  /** Present when raw is base64 (bytes that are not text). */
  readonly rawEncoding?: 'base64';
  /** Present when raw holds only the first part of what was refused: its whole size in bytes. */
  readonly rawBytes?: number;
}

/**
 * Where and how a refused record is kept: `rejected/dt=…/hour=…/<position>.json.gz`, one line per rejection.
 * A pure function of the record, so keeping a record again rewrites the same object with the same bytes.
 */
export function quarantineObject(record: QuarantinedRecord): { key: string; lines: QuarantineLine[] } {
  const receivedAt = new Date(record.receivedAt).toISOString();
  return {
    key: archiveObjectKey('rejected', record.receivedAt, record.sourcePosition),
    lines: record.rejections.map((rejection) => ({
      sourcePosition: record.sourcePosition,
      receivedAt,
      line: rejection.line,
      code: rejection.code,
      reason: rejection.reason,
      raw: rejection.raw,
      ...(rejection.rawEncoding === undefined ? {} : { rawEncoding: rejection.rawEncoding }),
      ...(rejection.rawBytes === undefined ? {} : { rawBytes: rejection.rawBytes }),
    })),
  };
}

/**
 * The objects a batch becomes, one per key. A record without rejections has nothing to keep. Two records with
 * one key are one source position delivered twice: the later one wins, as a second write would.
 */
export function quarantineObjects(records: readonly QuarantinedRecord[]): Map<string, QuarantineLine[]> {
  const objects = new Map<string, QuarantineLine[]>();
  for (const record of records) {
    if (record.rejections.length === 0) continue;
    const { key, lines } = quarantineObject(record);
    objects.set(key, lines);
  }
  return objects;
}
