import {
  partialsFromReadings, toMinuteSummary, windowKey, type MinutePartial, type MinuteSummary, type PendingQuery, type Reading,
  type SummaryPublisher, type SummaryStore,
} from '@wildrydes/domain';

export interface AggregateMinutesOptions {
  /** How far back a unicorn's closed, not yet emitted minutes are looked for when its next minute begins. */
  readonly emissionLookbackMs: number;
}

export interface AggregateMinutesResult {
  readonly windowsChanged: number;
  readonly windowsUnchanged: number;
  readonly emitted: readonly MinuteSummary[];
}

/**
 * Folds a batch of readings into per-(unicorn, minute) summaries, each reading counted once however often it
 * is delivered (the store merges partials that keep reading identities), then emits the minutes that closed.
 *
 * A unicorn's minute is closed when a reading of a later minute arrives (its readings come in order on one
 * shard, as the workshop's SQL assumed). Its pending minutes are looked up only when its newest minute first
 * appears — about once per unicorn-minute — or when a batch is replayed (a redelivery after a failed emission).
 * A summary is published before it is marked emitted, so a failure between the two re-emits the same summary
 * rather than losing it; a late reading that changes an emitted minute makes it pending again, and its corrected
 * summary is emitted when the unicorn's next minute begins.
 */
export class AggregateMinutes {
  constructor(
    private readonly store: SummaryStore,
    private readonly publisher: SummaryPublisher,
    private readonly options: AggregateMinutesOptions,
  ) {}

  async execute(readings: readonly Reading[]): Promise<AggregateMinutesResult> {
    if (readings.length === 0) return { windowsChanged: 0, windowsUnchanged: 0, emitted: [] };
    const batch = partialsFromReadings(readings);
    const merged = await this.store.merge([...batch.values()]);
    const stored = new Map(merged.map((m) => [windowKey(m.partial.name, m.partial.windowStart), m]));

    const newest = new Map<string, MinutePartial>();
    for (const partial of batch.values()) {
      const current = newest.get(partial.name);
      if (current === undefined || partial.windowStart > current.windowStart) newest.set(partial.name, partial);
    }
    const queries: PendingQuery[] = [];
    for (const partial of newest.values()) {
      const after = stored.get(windowKey(partial.name, partial.windowStart));
      const firstSeen = after !== undefined && after.partial.offsets.length === partial.offsets.length;
      if (firstSeen || after?.changed === false) {
        queries.push({ name: partial.name, fromWindowStart: partial.windowStart - this.options.emissionLookbackMs, beforeWindowStart: partial.windowStart });
      }
    }
    const pending = queries.length === 0 ? [] : await this.store.findPending(queries);
    const emitted = pending.map((w) => toMinuteSummary(w.partial));
    await this.publisher.publish(emitted);
    await this.store.markEmitted(pending);

    const windowsChanged = merged.filter((m) => m.changed).length;
    return { windowsChanged, windowsUnchanged: merged.length - windowsChanged, emitted };
  }
}
