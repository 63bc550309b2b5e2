/** A record as the stream still holds it. */
export interface RetainedRecord {
  /** `<shardId>:<sequenceNumber>`, the position the stream handlers quarantine a record under. */
  readonly position: string;
  /** When the record reached the stream (epoch ms). */
  readonly arrivedAt: number;
  readonly data: Uint8Array;
}

/**
 * Reads everything a stream still retains (Kinesis: 24 h by default), every shard from its trim horizon to its
 * tip, and then ends: what `reconcile` counts as received.
 */
export interface StreamHistory {
  readRetained(): AsyncIterable<RetainedRecord>;
}
