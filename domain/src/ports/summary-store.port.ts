import type { MinutePartial } from '../window/minute-partial';

export interface MergedWindow {
  /** The window as stored after the merge. */
  readonly partial: MinutePartial;
  /** Whether the merge added any reading the store did not have (false for a pure replay). */
  readonly changed: boolean;
}

/** Merges per-(unicorn, minute) partials into the summaries table `UnicornSensorData`, each reading once. */
export interface SummaryStore {
  merge(partials: readonly MinutePartial[]): Promise<MergedWindow[]>;
}
