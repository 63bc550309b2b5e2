import type { UnicornHealthState } from '../health/evaluate-health';

/** A unicorn's stored health with the version its conditional write is checked against. */
export interface StoredHealth {
  readonly state: UnicornHealthState;
  readonly version: number;
}

/** A state to write, valid only if the stored version is still `expectedVersion` (absent: not stored yet). */
export interface HealthChange {
  readonly state: UnicornHealthState;
  readonly expectedVersion: number | undefined;
}

export interface ApplyOutcome {
  /** Names whose write lost a race with another writer; the caller reloads and re-evaluates them. */
  readonly conflicts: readonly string[];
}

/**
 * When each unicorn of one Kinesis shard was last seen. Kept per shard, in one record rewritten every few seconds,
 * instead of a "last seen" write per unicorn: a few write units per shard instead of one per unicorn.
 */
export interface ShardLastSeen {
  readonly shardId: string;
  /** Newest reading time applied on this shard (event time, epoch ms): the shard's own clock, which lags with it. */
  readonly watermark: number;
  /** Wall-clock time of the save (epoch ms). A shard not saved for a while had nothing to process. */
  readonly savedAt: number;
  /**
   * Kinesis arrival time of the newest record applied (epoch ms). A record in the shard that arrived later has not
   * been applied yet: the shard's handler is behind, not idle. Absent in records saved before it existed.
   */
  readonly arrivedUntil?: number;
  /** Unicorn name → time of its latest reading applied (epoch ms). */
  readonly lastSeen: ReadonlyMap<string, number>;
  /**
   * Unicorns of the shard, healthy since their first reading, whose state has no item yet: where each was at its
   * last reading (the time is in `lastSeen`) and its points. A new unicorn's first state is written a few at a batch
   * rather than all at once when a fleet starts; until then the scan and the readers take it from here.
   */
  readonly unstored?: ReadonlyMap<string, UnstoredHealth>;
}

/** What a healthy unicorn without a stored state looked like at its last reading (ShardLastSeen.unstored). */
export interface UnstoredHealth {
  readonly latitude: number;
  readonly longitude: number;
  readonly magicPoints: number;
  readonly healthPoints: number;
}

export interface StoredShardLastSeen extends ShardLastSeen {
  readonly version: number;
}

/**
 * Keeps each unicorn's current health (table `UnicornHealth`) with optimistic, conditional writes, and each
 * shard's last-seen record. A unicorn's stored state changes on transitions; its last reading time between
 * transitions lives in its shard's record.
 */
export interface HealthStore {
  load(names: readonly string[]): Promise<Map<string, StoredHealth>>;
  applyTransitions(changes: readonly HealthChange[]): Promise<ApplyOutcome>;
  loadShard(shardId: string): Promise<StoredShardLastSeen | undefined>;
  /** Saves the record if the stored version is still `expectedVersion` (absent: not stored yet). */
  saveShard(record: ShardLastSeen, expectedVersion: number | undefined): Promise<'saved' | 'conflict'>;
  listShards(): Promise<StoredShardLastSeen[]>;
}
