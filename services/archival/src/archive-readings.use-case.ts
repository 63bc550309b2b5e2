import {
  archiveObjectKey, toWorkshopRecord, type ArchiveStore, type Quarantine, type QuarantinedRecord, type Reading,
} from '@wildrydes/domain';
import { ArchiveWriteFailedError } from './archive-write-failed.error';

/** A valid reading and the Kinesis record that carried it (a record may carry several NDJSON readings). */
export interface ArchivableReading {
  readonly reading: Reading;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

export interface ArchiveReadingsBatch {
  /** In batch order: the order decides which record is first in each group, and so every object key. */
  readonly readings: readonly ArchivableReading[];
  /** Records (or lines) the decoder refused, with their reasons. */
  readonly rejected: readonly QuarantinedRecord[];
}

export interface ArchivedObject {
  readonly key: string;
  readonly readings: number;
}

export interface ArchiveReadingsResult {
  readonly objects: readonly ArchivedObject[];
  readonly readingsArchived: number;
  readonly recordsQuarantined: number;
}

/** Writes in flight per batch: a batch usually makes one or two objects, a replay of old data a few dozen. */
const WRITES_IN_FLIGHT = 8;

/** One object to write: its key and its lines. */
export interface ArchiveGroup {
  readonly key: string;
  readonly lines: string[];
}

/**
 * Archives one Kinesis batch: each (event-time hour, shard) group of readings becomes ONE gzip NDJSON object,
 * keyed by the position of the group's first record in this batch, and every refused record is quarantined.
 * Keys depend only on the batch's records, so redelivery, retries and bisection overwrite instead of duplicating
 * (the proof is in docs/adr/0006-archive-keys.md). Any failed write fails the whole call, never part of it:
 * a partial answer would move the checkpoint past records whose group object was not written.
 */
export class ArchiveReadings {
  constructor(
    private readonly store: ArchiveStore,
    private readonly quarantine: Quarantine,
  ) {}

  async execute(batch: ArchiveReadingsBatch): Promise<ArchiveReadingsResult> {
    const groups = groupByHourAndShard(batch.readings);
    const failedKeys: string[] = [];
    let firstError: unknown;
    const keeping = batch.rejected.length === 0
      ? Promise.resolve(true)
      : this.quarantine.keep(batch.rejected).then(() => true, (error: unknown) => {
        firstError ??= error;
        return false;
      });
    let next = 0;
    const writer = async (): Promise<void> => {
      // No new writes after a failure: the batch is retried whole, so they would be written again anyway.
      while (next < groups.length && failedKeys.length === 0) {
        const group = groups[next++] as ArchiveGroup;
        try {
          await this.store.write(group.key, group.lines);
        } catch (error) {
          firstError ??= error;
          failedKeys.push(group.key);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, groups.length) }, writer));
    const quarantined = await keeping;
    if (failedKeys.length > 0 || !quarantined) throw new ArchiveWriteFailedError(failedKeys, !quarantined, { cause: firstError });
    return {
      objects: groups.map((g) => ({ key: g.key, readings: g.lines.length })),
      readingsArchived: batch.readings.length,
      recordsQuarantined: batch.rejected.length,
    };
  }
}

/**
 * The key rule: one group per (event-time hour partition, shard); its key is
 * `raw/dt=…/hour=…/<shardId>:<sequence number of the group's first record in this batch>` (encoded).
 * Lines keep batch order, each the reading as the workshop wrote it.
 */
export function groupByHourAndShard(readings: readonly ArchivableReading[]): ArchiveGroup[] {
  const groups = new Map<string, ArchiveGroup>();
  // A batch's readings come in long runs of one hour and shard: the previous reading's group is tried first, and
  // the partition's text (a Date and its pads) is made only for a new group, not for every reading.
  let last: { hour: number; shardId: string; group: ArchiveGroup } | undefined;
  for (const { reading, shardId, sequenceNumber } of readings) {
    const hour = Math.floor(reading.time / MS_PER_HOUR);
    let group: ArchiveGroup | undefined;
    if (last !== undefined && last.hour === hour && last.shardId === shardId) group = last.group;
    else {
      const groupId = `${hour}\u0000${shardId}`;
      group = groups.get(groupId);
      if (group === undefined) {
        group = { key: archiveObjectKey('raw', reading.time, `${shardId}:${sequenceNumber}`), lines: [] };
        groups.set(groupId, group);
      }
      last = { hour, shardId, group };
    }
    group.lines.push(JSON.stringify(toWorkshopRecord(reading)));
  }
  return [...groups.values()];
}

/** A UTC hour: the archive's partitions (`dt=…/hour=…`) are whole UTC hours of event time. */
const MS_PER_HOUR = 3_600_000;
