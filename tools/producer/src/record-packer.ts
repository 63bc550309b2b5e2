import { staggeredFirstPackSize, type SimulatedRecord, type TelemetryRecord } from '@wildrydes/domain';

/** A record ready for the stream, with how many NDJSON lines (readings or poison) it carries. */
export interface PackedRecord {
  readonly record: TelemetryRecord;
  readonly lines: number;
}

const utf8 = new TextEncoder();

export interface RecordPackerOptions {
  /**
   * Each unicorn's first pack holds 1 to K readings (by a hash of its name), and every pack after it K: the fleet's
   * packs then go out spread over K ticks, as devices that did not start in the same second send theirs, instead of
   * every unicorn's pack at the same tick. Default false.
   */
  readonly staggered?: boolean;
}

/**
 * Packs K simulated records of one unicorn into one Kinesis record, as NDJSON. Records of one unicorn share a
 * partition key, so they stay in order on one shard; a pack is sent once full, or by `drain()` at the end.
 */
export class RecordPacker {
  private readonly open = new Map<string, string[]>();
  /** Unicorns whose first pack went out: from then on every pack is full. */
  private readonly started = new Set<string>();
  private readonly staggered: boolean;

  constructor(private readonly perRecord: number, options: RecordPackerOptions = {}) {
    this.staggered = options.staggered === true && perRecord > 1;
  }

  add(records: readonly SimulatedRecord[]): PackedRecord[] {
    const ready: PackedRecord[] = [];
    for (const record of records) {
      if (this.perRecord === 1) {
        ready.push(pack(record.partitionKey, [record.data]));
        continue;
      }
      const lines = this.open.get(record.partitionKey) ?? [];
      lines.push(record.data);
      if (lines.length >= this.packSize(record.partitionKey)) {
        this.open.delete(record.partitionKey);
        if (this.staggered) this.started.add(record.partitionKey);
        ready.push(pack(record.partitionKey, lines));
      } else {
        this.open.set(record.partitionKey, lines);
      }
    }
    return ready;
  }

  private packSize(partitionKey: string): number {
    if (!this.staggered || this.started.has(partitionKey)) return this.perRecord;
    return staggeredFirstPackSize(partitionKey, this.perRecord);
  }

  /** The partly filled packs, one per unicorn. */
  drain(): PackedRecord[] {
    const rest = [...this.open].map(([partitionKey, lines]) => pack(partitionKey, lines));
    this.open.clear();
    return rest;
  }
}

function pack(partitionKey: string, lines: readonly string[]): PackedRecord {
  // v2 lines end with a newline already, v1 lines do not: join so every line ends with exactly one.
  const text = lines.length === 1 ? (lines[0] as string) : lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
  return { record: { partitionKey, data: utf8.encode(text) }, lines: lines.length };
}

/** The record with its unicorn renamed (the workshop's `-name`): partition key and the `Name` field. */
export function renameUnicorn(record: SimulatedRecord, from: string, to: string): SimulatedRecord {
  if (from === to || record.partitionKey !== from) return record;
  return {
    ...record,
    partitionKey: to,
    data: record.data.replace(`"Name":${JSON.stringify(from)}`, `"Name":${JSON.stringify(to)}`),
    ...(record.reading === undefined ? {} : { reading: { ...record.reading, name: to } }),
  };
}
