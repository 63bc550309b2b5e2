import type { Reading, UnicornAlert } from '@wildrydes/domain';

/** Stops a live source; resolves once it delivers nothing more. */
export type StopLiveSource = () => Promise<void>;

/**
 * A driving source of the dashboard: it pushes what arrives, in batches, until stopped. The telemetry stream (as a
 * Kinesis consumer), the `unicorn-alert` subscription (an EventBridge rule locally, the SQS alert queue on AWS) and
 * the summary stream each sit behind one; tests push by hand (`in-memory-live-source.fake.ts`).
 */
export interface LiveSource<T> {
  start(deliver: (items: readonly T[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource>;
}

export interface LiveSources {
  /** Readings of the `wildrydes` stream, from now on. */
  readonly readings: LiveSource<Reading>;
  readonly alerts: LiveSource<UnicornAlert>;
  /** Names of unicorns whose minute summary was emitted (`wildrydes-summary`). */
  readonly minutesClosed: LiveSource<string>;
}
