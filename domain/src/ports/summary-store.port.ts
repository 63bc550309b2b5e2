import type { MinutePartial, MinuteSummary } from '../window/minute-partial';

/** A minute as the summaries table holds it: the partial (for exact-once merging), its summary and its version. */
export interface StoredSummary {
  readonly partial: MinutePartial;
  readonly summary: MinuteSummary;
  /** Incremented by every write; a conditional write expects the version it read. */
  readonly version: number;
  /** Whether this version was emitted to the summary stream (a write of a new version without the mark leaves it pending). */
  readonly emitted: boolean;
}

export interface MergedWindow {
  /** The window as stored after the merge. */
  readonly partial: MinutePartial;
  /** Whether the merge added any reading the store did not have (false for a pure replay). */
  readonly changed: boolean;
  /** The stored version after the merge (0 for a window with no readings, which is never stored). */
  readonly version: number;
}

export interface MergeOptions {
  /**
   * Leave every merged window marked emitted at the version returned, because the caller publishes it next: a new
   * or changed window carries the mark in its one conditional write; an unchanged window not emitted yet is marked
   * (a conditional update, rare); an unchanged emitted one costs nothing. Without it a changed window becomes
   * pending (its new version not emitted).
   */
  readonly markEmitted?: boolean;
  /**
   * The caller holds these windows open (it flushes its state): an unchanged window marked emitted becomes pending
   * again (the mark removed, a conditional update, rare). Its mark may come from an attempt whose publishing failed,
   * retried with other bounds (bisection): left marked, the window would never be published. Not with `markEmitted`.
   */
  readonly reopen?: boolean;
}

/** What a merge leaves on a window: marked emitted, pending (the mark removed), or the mark as it was. */
export type WindowMark = 'emitted' | 'pending' | 'keep';

/** A stored minute whose current version has not been emitted to the summary stream yet. */
export interface PendingWindow {
  readonly partial: MinutePartial;
  readonly version: number;
}

/** Which minutes of one unicorn to look at: those starting in [fromWindowStart, beforeWindowStart). */
export interface PendingQuery {
  readonly name: string;
  readonly fromWindowStart: number;
  readonly beforeWindowStart: number;
}

/** Merges per-(unicorn, minute) partials into the summaries table `UnicornSensorData`, each reading once. */
export interface SummaryStore {
  merge(partials: readonly MinutePartial[], options?: MergeOptions): Promise<MergedWindow[]>;
  /** Minutes whose current version was not emitted yet (a merge that changes an emitted minute makes it pending again). */
  findPending(queries: readonly PendingQuery[]): Promise<PendingWindow[]>;
  /** Records that these versions were emitted; a minute changed since stays pending. */
  markEmitted(windows: readonly PendingWindow[]): Promise<void>;
}
