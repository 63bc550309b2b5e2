import {
  advanceWindow, EMPTY_AGGREGATION_STATE, encodeAggregationState, encodedStateBytes, openMinutes, partialsFromReadings, pendingLookups,
  toMinuteSummary, TUMBLING_WINDOW_STATE_LIMIT_BYTES, type AggregationState, type EncodedAggregationState, type MergedWindow, type MinuteSummary, type Reading,
  type SummaryPublisher, type SummaryStore,
} from '@wildrydes/domain';

export interface AggregateMinutesOptions {
  /**
   * How far either side of a unicorn's newest minute its pending minutes are looked for, the first time a window
   * sees it. At least the tumbling window's length, so a minute flushed open at the end of the previous window is
   * found; a unicorn silent for longer keeps its last minute in the table, unemitted.
   */
  readonly emissionLookbackMs: number;
  /**
   * Above this size (UTF-8 JSON) the state is not carried on: its open minutes are flushed as at a window's end.
   * Default 90% of Lambda's 1 MB, so the window is never cut short by Lambda with the state in an unknown place.
   */
  readonly maxStateBytes?: number;
}

export interface AggregateMinutesInvocation {
  /** The window ends with this invocation (or was cut short): the state returned is dropped, so open minutes are stored now. */
  readonly final: boolean;
}

export interface AggregateMinutesResult {
  /** The state for the next invocation of the window (empty after a final one or a flush). */
  readonly state: AggregationState;
  /** Its size as JSON, UTF-8. */
  readonly stateBytes: number;
  /** `state` as Lambda carries it (encoded once here, to size it, and answered as it is). */
  readonly encodedState: EncodedAggregationState;
  /** Minutes written with new readings (closed ones, and open ones flushed). */
  readonly windowsChanged: number;
  readonly windowsUnchanged: number;
  /** Summaries published by this invocation: every minute it closed, and pending minutes it found closed. */
  readonly emitted: readonly MinuteSummary[];
  /** Open minutes stored as pending because the window ended or the state grew too large. */
  readonly flushed: number;
}

/**
 * Folds readings into per-(unicorn, minute) summaries inside Lambda tumbling windows (docs/adr/0008), each reading
 * counted once however often it is delivered (partials keep reading identities; every merge is idempotent).
 *
 * Per invocation:
 * 1. a unicorn the window has not seen yet gets its pending minutes looked up (minutes an earlier window flushed
 *    open) — once per unicorn per window;
 * 2. the batch's readings join the state's open minutes; a unicorn's minute closes once a later minute of it has
 *    been seen (its readings come in order on one shard, as the workshop's SQL assumed), late readings close at once;
 * 3. closed minutes are merged into the store with the emitted mark in the same write, then published — all of
 *    them, changed or not, so a retried invocation (same records, same state) publishes the same summaries again
 *    instead of losing them; pending minutes found closed and untouched are published, then marked;
 * 4. open minutes stay in the state. When the window ends (or the state outgrows its budget) they are merged
 *    without the mark — pending — and the state is dropped; the next window's lookup emits them once closed.
 * A late reading that changes an emitted minute closes that minute again: its corrected summary is published.
 */
export class AggregateMinutes {
  private readonly maxStateBytes: number;

  constructor(
    private readonly store: SummaryStore,
    private readonly publisher: SummaryPublisher,
    private readonly options: AggregateMinutesOptions,
  ) {
    this.maxStateBytes = options.maxStateBytes ?? TUMBLING_WINDOW_STATE_LIMIT_BYTES * 0.9;
  }

  async execute(readings: readonly Reading[], state: AggregationState, invocation: AggregateMinutesInvocation): Promise<AggregateMinutesResult> {
    const batch = [...partialsFromReadings(readings).values()];
    const lookups = pendingLookups(state, batch, this.options.emissionLookbackMs);
    const pending = lookups.length === 0 ? [] : await this.store.findPending(lookups);
    const step = advanceWindow(state, batch, pending);

    const closed = step.closed.length === 0 ? [] : await this.store.merge(step.closed, { markEmitted: true });
    const emitted = [...closed.map((w) => toMinuteSummary(w.partial)), ...step.pendingClosed.map((w) => toMinuteSummary(w.partial))]
      .sort((a, b) => a.Name.localeCompare(b.Name) || a.StatusTime.localeCompare(b.StatusTime));
    if (emitted.length > 0) await this.publisher.publish(emitted);
    if (step.pendingClosed.length > 0) await this.store.markEmitted(step.pendingClosed);

    let next = step.state;
    let encodedState = encodeAggregationState(next);
    let stateBytes = encodedStateBytes(encodedState);
    let flushed: MergedWindow[] = [];
    if (invocation.final || stateBytes > this.maxStateBytes) {
      // Reopened: a minute this state holds open is pending, even if a failed attempt over other bounds marked it.
      flushed = next.open.size === 0 ? [] : await this.store.merge(openMinutes(next), { reopen: true });
      next = EMPTY_AGGREGATION_STATE;
      encodedState = encodeAggregationState(next);
      stateBytes = encodedStateBytes(encodedState);
    }

    const written = [...closed, ...flushed];
    const windowsChanged = written.filter((w) => w.changed).length;
    return { state: next, encodedState, stateBytes, windowsChanged, windowsUnchanged: written.length - windowsChanged, emitted, flushed: flushed.length };
  }
}
