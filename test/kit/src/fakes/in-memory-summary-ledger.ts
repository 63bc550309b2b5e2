import { parseStatusTime, readingCount, WINDOW_MS, type LedgerMinute, type SummaryLedger, type TimeRange } from '@wildrydes/domain';
import type { InMemoryImportedSummaryStore } from './in-memory-imported-summary-store';
import type { InMemorySummaryStore } from './in-memory-summary-store';

/**
 * The summaries table's minutes as the in-memory stores hold them. As in `UnicornSensorData`, a minute built from
 * readings replaces an imported summary of the same unicorn and minute.
 */
export class InMemorySummaryLedger implements SummaryLedger {
  constructor(
    private readonly live: InMemorySummaryStore,
    private readonly imported?: InMemoryImportedSummaryStore,
  ) {}

  async *minutes(range: TimeRange): AsyncGenerator<LedgerMinute, void, undefined> {
    const minutes = new Map<string, LedgerMinute>();
    for (const summary of this.imported?.items() ?? []) {
      const windowStart = parseStatusTime(summary.StatusTime) - WINDOW_MS;
      minutes.set(`${summary.Name}\u0000${windowStart}`, { name: summary.Name, windowStart, readings: 0, importedFrom: summary.ImportedFrom });
    }
    for (const { partial } of await this.live.listAll()) {
      minutes.set(`${partial.name}\u0000${partial.windowStart}`, { name: partial.name, windowStart: partial.windowStart, readings: readingCount(partial), importedFrom: undefined });
    }
    for (const minute of minutes.values()) if (minute.windowStart >= range.from && minute.windowStart < range.to) yield minute;
  }
}
