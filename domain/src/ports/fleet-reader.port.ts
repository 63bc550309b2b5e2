import type { UnicornHealthState } from '../health/evaluate-health';
import type { MinuteSummary } from '../window/minute-partial';

/**
 * A unicorn's current health as a reader (the dashboard) sees it: the stored state, written on transitions only
 * (ADR 9), and the newest reading time known, which between transitions lives in the shard's last-seen record.
 */
export interface UnicornHealthView {
  readonly state: UnicornHealthState;
  /** The newest of the state's reading time and the shards' last-seen times for this unicorn (epoch ms). */
  readonly lastSeen: number;
}

/** Reads the current health of the whole fleet (table `UnicornHealth`), for operators; never written through. */
export interface HealthReader {
  readAll(): Promise<UnicornHealthView[]>;
}

/** Reads one unicorn's minute summaries (table `UnicornSensorData`), for operators; never written through. */
export interface MinuteSummaryReader {
  /** Minutes whose window starts in [fromWindowStart, beforeWindowStart), oldest first. */
  readMinutes(name: string, fromWindowStart: number, beforeWindowStart: number): Promise<MinuteSummary[]>;
}
