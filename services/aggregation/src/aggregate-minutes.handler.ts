import { kinesisBatchHandler, type HandlerTools } from '@wildrydes/lambda-kit';
import type { AggregateMinutes } from './aggregate-minutes.use-case';

/**
 * The Kinesis handler on `wildrydes`: aggregate, emit. Merging is idempotent, so any failure fails the whole
 * batch (the mapping retries or bisects it; a replay costs reads, not writes); rejected records are only
 * counted here, as archival quarantines them.
 */
export function createAggregateMinutesHandler(deps: HandlerTools & { readonly aggregateMinutes: AggregateMinutes }) {
  return kinesisBatchHandler(deps, async ({ readings }) => {
    const result = await deps.aggregateMinutes.execute(readings.map((r) => r.reading));
    return { counts: { ReadingsAggregated: readings.length, MinutesWritten: result.windowsChanged, MinutesEmitted: result.emitted.length } };
  });
}
