import type { MinuteSummary, SummaryPublisher, TelemetryStream } from '@wildrydes/domain';

export class SummaryPublishError extends Error {
  readonly code = 'SUMMARY_PUBLISH_FAILED';
  constructor(readonly failed: readonly { name: string; statusTime: string; errorCode: string }[]) {
    super(`${failed.length} minute summaries were refused by the summary stream (first: ${failed[0]?.name} ${failed[0]?.statusTime}: ${failed[0]?.errorCode})`);
    this.name = 'SummaryPublishError';
  }
}

const encoder = new TextEncoder();

/**
 * Puts minute summaries on the `wildrydes-summary` stream, one JSON line per record in the workshop's shape
 * (its seven fields first, then `WindowStart` and `Readings`), partitioned by unicorn like the readings.
 */
export class KinesisSummaryPublisher implements SummaryPublisher {
  constructor(private readonly stream: TelemetryStream) {}

  async publish(summaries: readonly MinuteSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    const outcome = await this.stream.put(summaries.map((s) => ({ partitionKey: s.Name, data: encoder.encode(toWorkshopJson(s) + '\n') })));
    if (outcome.rejected.length > 0) {
      throw new SummaryPublishError(outcome.rejected.map((r) => {
        const summary = JSON.parse(new TextDecoder().decode(r.record.data)) as MinuteSummary;
        return { name: summary.Name, statusTime: summary.StatusTime, errorCode: r.errorCode };
      }));
    }
  }
}

export function toWorkshopJson(s: MinuteSummary): string {
  return JSON.stringify({
    Name: s.Name, StatusTime: s.StatusTime, Distance: s.Distance, MinMagicPoints: s.MinMagicPoints, MaxMagicPoints: s.MaxMagicPoints,
    MinHealthPoints: s.MinHealthPoints, MaxHealthPoints: s.MaxHealthPoints, WindowStart: s.WindowStart, Readings: s.Readings,
  });
}
