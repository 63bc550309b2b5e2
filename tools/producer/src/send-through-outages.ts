import type { PackedRecord } from './record-packer';
import type { Clock } from './produce';

export interface OutageOptions {
  readonly signal: AbortSignal;
  /** How long the stream may stay unreachable before the send gives up. */
  readonly outageLimitMs: number;
  readonly clock: Clock;
  /** Whether an error means the endpoint could not be reached (a network error), as opposed to a refusal. */
  readonly isUnreachable: (error: unknown) => boolean;
  /** Told once when an outage starts and once when it ends. */
  readonly onOutage: (state: 'unreachable' | 'reachable', error?: unknown) => void;
}

/** Thrown when an outage outlasts the limit, or the run is stopped during one; the batch was not acknowledged. */
export class StreamUnreachableError extends Error {
  readonly code = 'STREAM_UNREACHABLE';
  constructor(readonly lines: number, options: { cause: unknown }) {
    super(`the stream stayed unreachable; ${lines} line(s) not acknowledged`, options);
    this.name = 'StreamUnreachableError';
  }
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/**
 * Sends a batch again and again while the stream is unreachable (connection refused or dropped), with backoff up
 * to 5 s, so a producer outlives a stream that goes away and comes back. A batch whose call failed may have been
 * taken anyway: it is counted as resent. Refusals that are not network errors are thrown at once.
 */
export function sendThroughOutages(
  send: (batch: PackedRecord[]) => Promise<void>,
  options: OutageOptions,
  counted: { resent(lines: number): void },
): (batch: PackedRecord[]) => Promise<void> {
  return async (batch) => {
    let outageStart: number | undefined;
    let delay = FIRST_DELAY_MS;
    const lines = batch.reduce((sum, packed) => sum + packed.lines, 0);
    for (;;) {
      try {
        await send(batch);
        if (outageStart !== undefined) {
          counted.resent(lines);
          options.onOutage('reachable');
        }
        return;
      } catch (error) {
        if (!options.isUnreachable(error)) throw error;
        if (outageStart === undefined) {
          outageStart = options.clock.now();
          options.onOutage('unreachable', error);
        }
        if (options.signal.aborted || options.clock.now() - outageStart >= options.outageLimitMs) throw new StreamUnreachableError(lines, { cause: error });
        await options.clock.sleep(delay, options.signal);
        delay = Math.min(MAX_DELAY_MS, delay * 2);
      }
    }
  };
}
