import type { MinuteSummary, SummaryPublisher } from '@wildrydes/domain';

/** Keeps the summaries published, in order (a re-published one appears again, as on the stream). */
export class InMemorySummaryPublisher implements SummaryPublisher {
  private readonly kept: MinuteSummary[] = [];
  failNext = false;

  async publish(summaries: readonly MinuteSummary[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the in-memory summary stream refused the batch');
    }
    this.kept.push(...summaries);
  }

  published(): MinuteSummary[] {
    return [...this.kept];
  }
}
