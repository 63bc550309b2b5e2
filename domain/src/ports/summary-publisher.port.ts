import type { MinuteSummary } from '../window/minute-partial';

/** Emits closed minutes' summaries to the `wildrydes-summary` stream, in the workshop's JSON shape. */
export interface SummaryPublisher {
  publish(summaries: readonly MinuteSummary[]): Promise<void>;
}
