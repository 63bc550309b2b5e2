import { formatUtcDate, formatUtcHour } from '../time/status-time';

/**
 * Where archived data lives in the data bucket. Keys are Hive-style partitions of event time, so Athena's
 * partition projection and DuckDB's hive_partitioning read the same layout, and a query for an hour scans an
 * hour. Each key is a pure function of an opaque source position (e.g. a Kinesis shard and sequence
 * number), so a retried write overwrites the same object instead of adding a duplicate.
 */
export type ArchiveArea = 'raw' | 'rejected';

export interface ArchivePartition {
  /** `YYYY-MM-DD`, UTC. */
  readonly dt: string;
  /** `HH`, UTC. */
  readonly hour: string;
}

export const partitionOf = (epochMs: number): ArchivePartition => ({ dt: formatUtcDate(epochMs), hour: formatUtcHour(epochMs) });

/**
 * Makes any position string safe and unambiguous as one key segment: characters outside [A-Za-z0-9._-]
 * become `~HH` (UTF-8 bytes in hex), and `~` itself is escaped, so distinct positions never share a key.
 */
export function encodeKeySegment(position: string): string {
  let out = '';
  for (const ch of position) {
    if (/[A-Za-z0-9._-]/.test(ch)) {
      out += ch;
    } else {
      for (const byte of new TextEncoder().encode(ch)) out += '~' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

export class EmptySourcePositionError extends Error {
  readonly code = 'EMPTY_SOURCE_POSITION';
  constructor() {
    super('an archive key needs a non-empty source position');
    this.name = 'EmptySourcePositionError';
  }
}

/** `raw|rejected/dt=YYYY-MM-DD/hour=HH/<position>.json.gz` for data whose partition time is `epochMs`. */
export function archiveObjectKey(area: ArchiveArea, epochMs: number, sourcePosition: string): string {
  if (sourcePosition === '') throw new EmptySourcePositionError();
  const { dt, hour } = partitionOf(epochMs);
  return `${area}/dt=${dt}/hour=${hour}/${encodeKeySegment(sourcePosition)}.json.gz`;
}

/** `alerts/dt=YYYY-MM-DD/<alertId>.json.gz`: one object per alert id, so a replayed alert overwrites itself. */
export function alertObjectKey(readingTime: number, alertId: string): string {
  if (alertId === '') throw new EmptySourcePositionError();
  return `alerts/dt=${formatUtcDate(readingTime)}/${encodeKeySegment(alertId)}.json.gz`;
}

/** The prefix that holds every object of one area and UTC hour (for listing and queries). */
export function partitionPrefix(area: ArchiveArea, epochMs: number): string {
  const { dt, hour } = partitionOf(epochMs);
  return `${area}/dt=${dt}/hour=${hour}/`;
}
