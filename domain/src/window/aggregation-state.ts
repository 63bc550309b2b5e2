import type { PendingQuery, PendingWindow } from '../ports/summary-store.port';
import { mergePartials, type MinutePartial } from './minute-partial';

/**
 * What the aggregation carries from one invocation to the next inside one Lambda tumbling window of one shard
 * (docs/adr/0008). Per unicorn, its **open minute**: the newest event-time minute seen in this window, not closed
 * yet, with the readings this window brought to it. The open partial also records the two other facts the state
 * needs, so they are not stored twice:
 * - the unicorn's newest minute seen is the open partial's own minute;
 * - a unicorn is in the map exactly when its pending minutes were looked up in this window (it enters the map
 *   at its lookup and leaves it only when the whole state is dropped).
 */
export interface AggregationState {
  readonly open: ReadonlyMap<string, MinutePartial>;
}

export const EMPTY_AGGREGATION_STATE: AggregationState = { open: new Map() };

/** What one invocation's readings (and the pending minutes looked up for it) do to the state. */
export interface WindowStep {
  /** The state to hand to the next invocation of the window. */
  readonly state: AggregationState;
  /**
   * Minutes this invocation closed that it has readings for (from the batch or the state): merge them with the
   * emitted mark, then publish what the store holds.
   */
  readonly closed: readonly MinutePartial[];
  /**
   * Pending minutes (flushed open by an earlier window) that are closed now and that nothing in this invocation
   * touches: publish them as stored, then mark them emitted.
   */
  readonly pendingClosed: readonly PendingWindow[];
}

/** The unicorns of a batch that the state has not seen in this window, with the newest minute the batch has of each. */
export function firstSeenUnicorns(state: AggregationState, batch: Iterable<MinutePartial>): Map<string, number> {
  const newest = new Map<string, number>();
  for (const partial of batch) {
    if (state.open.has(partial.name)) continue;
    const current = newest.get(partial.name);
    if (current === undefined || partial.windowStart > current) newest.set(partial.name, partial.windowStart);
  }
  return newest;
}

/**
 * The lookups of pending minutes for the unicorns first seen in this window: every minute starting within
 * `lookbackMs` either side of the newest minute the batch has of the unicorn. Below it are the minutes an earlier
 * window flushed open; above it only the rare minute a previous window saw while this batch holds only late readings.
 */
export function pendingLookups(state: AggregationState, batch: Iterable<MinutePartial>, lookbackMs: number): PendingQuery[] {
  return [...firstSeenUnicorns(state, batch)].map(([name, newest]) => ({
    name, fromWindowStart: newest - lookbackMs, beforeWindowStart: newest + lookbackMs,
  }));
}

/**
 * Folds an invocation's partials (one per unicorn-minute or not: they are merged) and the pending minutes found
 * for its first-seen unicorns into the state. A unicorn's minute is closed once a later minute of it has been seen
 * — in this batch, in the state, or as a pending minute in the store. Its newest minute stays open: in the state,
 * or (when it is a stored pending minute the batch has no reading for) adopted into the state as it is stored,
 * so that it is emitted when it closes in this window or flushed again at the window's end.
 */
export function advanceWindow(state: AggregationState, batch: Iterable<MinutePartial>, pending: readonly PendingWindow[] = []): WindowStep {
  // Per unicorn, its minutes with readings in this invocation (state's open minute included), merged per minute.
  const touched = new Map<string, Map<number, MinutePartial>>();
  const touch = (partial: MinutePartial): void => {
    let minutes = touched.get(partial.name);
    if (minutes === undefined) touched.set(partial.name, (minutes = new Map()));
    const existing = minutes.get(partial.windowStart);
    minutes.set(partial.windowStart, existing === undefined ? partial : mergePartials(existing, partial));
  };
  for (const partial of batch) {
    const open = state.open.get(partial.name);
    if (open !== undefined && !touched.has(partial.name)) touch(open);
    touch(partial);
  }
  const pendingByUnicorn = new Map<string, PendingWindow[]>();
  for (const window of pending) {
    const list = pendingByUnicorn.get(window.partial.name);
    if (list === undefined) pendingByUnicorn.set(window.partial.name, [window]);
    else list.push(window);
  }

  const open = new Map(state.open);
  const closed: MinutePartial[] = [];
  const pendingClosed: PendingWindow[] = [];
  for (const name of new Set([...touched.keys(), ...pendingByUnicorn.keys()])) {
    const minutes = touched.get(name) ?? new Map<number, MinutePartial>();
    const stored = pendingByUnicorn.get(name) ?? [];
    let newest = -Infinity;
    for (const start of minutes.keys()) newest = Math.max(newest, start);
    for (const window of stored) newest = Math.max(newest, window.partial.windowStart);

    for (const [start, partial] of minutes) {
      if (start < newest) closed.push(partial);
      else open.set(name, partial);
    }
    for (const window of stored) {
      const start = window.partial.windowStart;
      // A pending minute this invocation has readings for merges with them in the store (closed or, when open, later).
      if (minutes.has(start)) continue;
      if (start < newest) pendingClosed.push(window);
      else open.set(name, window.partial);
    }
  }
  return { state: { open }, closed, pendingClosed };
}

/** Every open minute, for the flush at the window's end: merged into the store without the emitted mark. */
export const openMinutes = (state: AggregationState): MinutePartial[] => [...state.open.values()];
