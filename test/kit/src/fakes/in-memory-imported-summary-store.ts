import type { ImportedMinuteSummary, ImportedSummaryStore } from '@wildrydes/domain';

/**
 * Imported summaries in memory, keyed like UnicornSensorData (Name, StatusTime): a put replaces the summary with its key.
 * Unlike DynamoDB it does not refuse an empty Name or StatusTime, a key over 2 KB or NaN; the summary-line
 * validation keeps those from reaching any ImportedSummaryStore.
 */
export class InMemoryImportedSummaryStore implements ImportedSummaryStore {
  private readonly summaries = new Map<string, ImportedMinuteSummary>();
  private failure: Error | undefined;
  /** putImported calls made. */
  calls = 0;

  /** Makes later putImported calls throw this error (undefined: stop failing). */
  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  async putImported(summaries: readonly ImportedMinuteSummary[]): Promise<{ readonly written: number }> {
    this.calls++;
    if (this.failure) throw this.failure;
    const keys = new Set<string>();
    for (const summary of summaries) {
      const key = JSON.stringify([summary.Name, summary.StatusTime]);
      keys.add(key);
      this.summaries.set(key, structuredClone(summary));
    }
    return { written: keys.size };
  }

  /** The summaries kept, in key order. */
  items(): ImportedMinuteSummary[] {
    return [...this.summaries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, summary]) => summary);
  }
}
