import type { RetainedRecord, StreamHistory, TelemetryRecord } from '@wildrydes/domain';

/** A stream that remembers what was put on it, one shard per partition key's hash bucket, as Kinesis spreads keys. */
export class InMemoryStreamHistory implements StreamHistory {
  private readonly shards: RetainedRecord[][];
  private sequence = 0;

  constructor(options: { readonly shards?: number; readonly clock?: () => number } = {}) {
    this.shards = Array.from({ length: options.shards ?? 2 }, () => []);
    this.clock = options.clock ?? Date.now;
  }

  private readonly clock: () => number;

  /** Appends records as a PutRecords call would, each to its key's shard, stamped with the clock. */
  append(records: readonly TelemetryRecord[]): void {
    for (const record of records) {
      const shard = hash(record.partitionKey) % this.shards.length;
      const shardId = `shardId-${String(shard).padStart(12, '0')}`;
      this.shards[shard]!.push({ position: `${shardId}:${String(++this.sequence).padStart(20, '0')}`, arrivedAt: this.clock(), data: record.data.slice() });
    }
  }

  async *readRetained(): AsyncGenerator<RetainedRecord, void, undefined> {
    for (const shard of this.shards) for (const record of [...shard]) yield { ...record, data: record.data.slice() };
  }
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}
