import {
  mergeAll, mergePartials, toMinuteSummary, windowKey, type MergedWindow, type MinutePartial, type PendingQuery, type PendingWindow,
  type SummaryStore,
} from '@wildrydes/domain';
import { samePartial, type StoredSummary } from '@wildrydes/domain';

type Interleaved = () => Promise<unknown> | unknown;

/**
 * The summaries table in memory, with the DynamoDB adapter's semantics: a version per window, reads of the
 * whole batch first, conditional writes that lose to a newer version and then re-read and re-merge, and no
 * write at all when a merge changes nothing. `interleaveBeforeNextWrite` lets a test slip a competing writer
 * in between a merge's read and its write, to exercise the conflict path deterministically.
 */
export class InMemorySummaryStore implements SummaryStore {
  private readonly items = new Map<string, StoredSummary>();
  /** Window key → the version whose summary was emitted (a write of a new version leaves it behind). */
  private readonly emitted = new Map<string, number>();
  private interleaved: Interleaved | undefined;
  /** Writes that were applied. */
  writeCount = 0;
  /** Writes that found a newer version than the one they read, and were merged again. */
  conflictCount = 0;

  async merge(partials: readonly MinutePartial[]): Promise<MergedWindow[]> {
    const windows = [...mergeAll(partials).values()];
    // Read the whole batch before writing anything, as the adapter's BatchGetItem does.
    const read = windows.map((w) => this.items.get(windowKey(w.name, w.windowStart)));
    const results: MergedWindow[] = [];
    for (const [index, incoming] of windows.entries()) results.push(await this.mergeWindow(incoming, read[index]));
    return results;
  }

  async get(name: string, windowStart: number): Promise<StoredSummary | undefined> {
    return this.items.get(windowKey(name, windowStart));
  }

  async listByName(name: string): Promise<StoredSummary[]> {
    return [...this.items.values()].filter((s) => s.partial.name === name).sort((a, b) => a.partial.windowStart - b.partial.windowStart);
  }

  async findPending(queries: readonly PendingQuery[]): Promise<PendingWindow[]> {
    const pending: PendingWindow[] = [];
    for (const q of queries) {
      for (const stored of await this.listByName(q.name)) {
        const start = stored.partial.windowStart;
        if (start < q.fromWindowStart || start >= q.beforeWindowStart) continue;
        if (this.emitted.get(windowKey(q.name, start)) !== stored.version) pending.push({ partial: stored.partial, version: stored.version });
      }
    }
    return pending.sort((a, b) => a.partial.name.localeCompare(b.partial.name) || a.partial.windowStart - b.partial.windowStart);
  }

  async markEmitted(windows: readonly PendingWindow[]): Promise<void> {
    for (const { partial, version } of windows) {
      const key = windowKey(partial.name, partial.windowStart);
      if (this.items.get(key)?.version === version) this.emitted.set(key, version);
    }
  }

  /** Runs `action` once, after the next merge has read a window and before it writes it. */
  interleaveBeforeNextWrite(action: Interleaved): void {
    this.interleaved = action;
  }

  private async mergeWindow(incoming: MinutePartial, initial: StoredSummary | undefined): Promise<MergedWindow> {
    const key = windowKey(incoming.name, incoming.windowStart);
    let current = initial;
    for (;;) {
      const merged = current === undefined ? incoming : mergePartials(current.partial, incoming);
      if (current !== undefined && samePartial(merged, current.partial)) return { partial: current.partial, changed: false };
      if (merged.offsets.length === 0) return { partial: merged, changed: false };
      const action = this.interleaved;
      this.interleaved = undefined;
      await action?.();
      const latest = this.items.get(key);
      if (latest?.version !== current?.version) {
        this.conflictCount++;
        current = latest;
        continue;
      }
      // Copies, so a caller that later mutates its arrays cannot change what is "stored".
      const partial: MinutePartial = { ...merged, offsets: [...merged.offsets], distances: [...merged.distances] };
      this.items.set(key, { partial, summary: toMinuteSummary(partial), version: (current?.version ?? 0) + 1 });
      this.writeCount++;
      return { partial, changed: true };
    }
  }
}
