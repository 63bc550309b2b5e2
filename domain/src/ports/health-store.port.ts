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

/** Keeps each unicorn's current health (table `UnicornHealth`) with optimistic, conditional writes. */
export interface HealthStore {
  load(names: readonly string[]): Promise<Map<string, StoredHealth>>;
  applyTransitions(changes: readonly HealthChange[]): Promise<ApplyOutcome>;
  /** Unicorns not silent yet whose latest reading is older than `unseenSince` (epoch ms). */
  findUnseenSince(unseenSince: number): Promise<StoredHealth[]>;
}
