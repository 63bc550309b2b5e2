import {
  mergeAll, mergePartials, toMinuteSummary, windowKey, type MergedWindow, type MergeOptions, type MinutePartial, type PendingQuery,
  type MinuteSummary, type MinuteSummaryReader, type PendingWindow, type SummaryStore,
} from '@wildrydes/domain';
import { samePartial, windowMarkOf, type StoredSummary, type WindowMark } from '@wildrydes/domain';

type Interleaved = () => Promise<unknown> | unknown;

/**
 * One request the DynamoDB adapter would send for the same call, with what it touches, so a test can price the
 * calls by DynamoDB's rules: a `read` is one key of a BatchGetItem (or a conflict re-read), `stored` the item found;
 * a `query` is one findPending Query, `scanned` every item in its key range (a Query is billed for what it reads,
 * before its filter); a `write` is one PutItem or UpdateItem, applied or not (a failed conditional write is billed).
 */
export type SummaryStoreOperation =
  | { readonly kind: 'read'; readonly stored: MinutePartial | undefined }
  | { readonly kind: 'query'; readonly scanned: readonly MinutePartial[] }
  | { readonly kind: 'write'; readonly partial: MinutePartial; readonly emitted: boolean };

/**
 * The summaries table in memory, with the DynamoDB adapter's semantics: a version per window, reads of the
 * whole batch first, conditional writes that lose to a newer version and then re-read and re-merge, no write at
 * all when a merge changes nothing, and the emitted mark written with the window (or alone, for an unchanged
 * window not emitted yet). `interleaveBeforeNextWrite` lets a test slip a competing writer in between a merge's
 * read and its write, to exercise the conflict path deterministically.
 */
export class InMemorySummaryStore implements SummaryStore, MinuteSummaryReader {
  private readonly items = new Map<string, Omit<StoredSummary, 'emitted'>>();
  /** Window key → the version whose summary was emitted (a write of a new version leaves it behind). */
  private readonly emitted = new Map<string, number>();
  private interleaved: Interleaved | undefined;
  /** Writes that were applied (PutItems and marks). */
  writeCount = 0;
  /** Writes that found a newer version than the one they read, and were merged again. */
  conflictCount = 0;
  /** Every request, in order (see SummaryStoreOperation). */
  readonly operations: SummaryStoreOperation[] = [];

  async merge(partials: readonly MinutePartial[], options: MergeOptions = {}): Promise<MergedWindow[]> {
    const windows = [...mergeAll(partials).values()];
    // Read the whole batch before writing anything, as the adapter's BatchGetItem does.
    const read = windows.map((w) => this.read(windowKey(w.name, w.windowStart)));
    const results: MergedWindow[] = [];
    const mark = windowMarkOf(options);
    for (const [index, incoming] of windows.entries()) results.push(await this.mergeWindow(incoming, read[index], mark));
    return results;
  }

  async get(name: string, windowStart: number): Promise<StoredSummary | undefined> {
    return this.stored(windowKey(name, windowStart));
  }

  async listByName(name: string): Promise<StoredSummary[]> {
    return [...this.items.keys()].map((key) => this.stored(key)!).filter((s) => s.partial.name === name)
      .sort((a, b) => a.partial.windowStart - b.partial.windowStart);
  }

  /** The fleet's `MinuteSummaryReader`, as the DynamoDB table is read by `DynamoDbMinuteSummaryReader`. */
  async readMinutes(name: string, fromWindowStart: number, beforeWindowStart: number): Promise<MinuteSummary[]> {
    return (await this.listByName(name))
      .filter((s) => s.partial.windowStart >= fromWindowStart && s.partial.windowStart < beforeWindowStart)
      .map((s) => s.summary);
  }

  /** Every stored minute, by name then start. */
  async listAll(): Promise<StoredSummary[]> {
    return [...this.items.keys()].map((key) => this.stored(key)!)
      .sort((a, b) => a.partial.name.localeCompare(b.partial.name) || a.partial.windowStart - b.partial.windowStart);
  }

  async findPending(queries: readonly PendingQuery[]): Promise<PendingWindow[]> {
    const pending: PendingWindow[] = [];
    for (const q of queries) {
      if (q.beforeWindowStart <= q.fromWindowStart) continue;
      const scanned = (await this.listByName(q.name))
        .filter((s) => s.partial.windowStart >= q.fromWindowStart && s.partial.windowStart < q.beforeWindowStart);
      this.operations.push({ kind: 'query', scanned: scanned.map((s) => s.partial) });
      for (const stored of scanned) if (!stored.emitted) pending.push({ partial: stored.partial, version: stored.version });
    }
    return pending.sort((a, b) => a.partial.name.localeCompare(b.partial.name) || a.partial.windowStart - b.partial.windowStart);
  }

  async markEmitted(windows: readonly PendingWindow[]): Promise<void> {
    for (const { partial, version } of windows) {
      const key = windowKey(partial.name, partial.windowStart);
      this.operations.push({ kind: 'write', partial, emitted: true });
      if (this.items.get(key)?.version === version) {
        this.emitted.set(key, version);
        this.writeCount++;
      }
    }
  }

  /** Runs `action` once, after the next merge has read a window and before it writes it. */
  interleaveBeforeNextWrite(action: Interleaved): void {
    this.interleaved = action;
  }

  private stored(key: string): StoredSummary | undefined {
    const item = this.items.get(key);
    return item === undefined ? undefined : { ...item, emitted: this.emitted.get(key) === item.version };
  }

  private read(key: string): StoredSummary | undefined {
    const stored = this.stored(key);
    this.operations.push({ kind: 'read', stored: stored?.partial });
    return stored;
  }

  private async mergeWindow(incoming: MinutePartial, initial: StoredSummary | undefined, mark: WindowMark): Promise<MergedWindow> {
    const markEmitted = mark === 'emitted';
    const key = windowKey(incoming.name, incoming.windowStart);
    let current = initial;
    for (;;) {
      const merged = current === undefined ? incoming : mergePartials(current.partial, incoming);
      if (merged.offsets.length === 0) return { partial: merged, changed: false, version: 0 };
      const unchanged = current !== undefined && samePartial(merged, current.partial);
      if (current !== undefined && unchanged && (mark === 'keep' || markEmitted === current.emitted)) {
        return { partial: current.partial, changed: false, version: current.version };
      }
      const action = this.interleaved;
      this.interleaved = undefined;
      await action?.();
      const latest = this.items.get(key);
      this.operations.push({ kind: 'write', partial: merged, emitted: markEmitted });
      if (latest?.version !== current?.version) {
        this.conflictCount++;
        current = this.read(key);
        continue;
      }
      this.writeCount++;
      if (current !== undefined && unchanged) {
        if (markEmitted) this.emitted.set(key, current.version);
        else this.emitted.delete(key);
        return { partial: current.partial, changed: false, version: current.version };
      }
      // Copies, so a caller that later mutates its arrays cannot change what is "stored".
      const partial: MinutePartial = { ...merged, offsets: [...merged.offsets], distances: [...merged.distances] };
      const version = (current?.version ?? 0) + 1;
      this.items.set(key, { partial, summary: toMinuteSummary(partial), version });
      if (markEmitted) this.emitted.set(key, version);
      return { partial, changed: true, version };
    }
  }
}
