import { decodeAggregationState } from '@wildrydes/domain';
import { kinesisWindowHandler, type HandlerTools } from '@wildrydes/lambda-kit';
import type { AggregateMinutes } from './aggregate-minutes.use-case';

/**
 * The Kinesis handler on `wildrydes`, a mapping with a tumbling window: read the window's state, aggregate, emit,
 * answer with the new state. Merging is idempotent, so any failure fails the whole invocation (Lambda retries it
 * with the same state, or bisects it); rejected records are only counted here, as archival quarantines them.
 */
export function createAggregateMinutesHandler(deps: HandlerTools & { readonly aggregateMinutes: AggregateMinutes }) {
  return kinesisWindowHandler(deps, async ({ readings }, invocation) => {
    const result = await deps.aggregateMinutes.execute(readings.map((r) => r.reading), decodeAggregationState(invocation.state), { final: invocation.final });
    return {
      state: result.encodedState,
      counts: {
        ReadingsAggregated: readings.length, MinutesWritten: result.windowsChanged, MinutesEmitted: result.emitted.length,
        MinutesFlushed: result.flushed, OpenMinutes: result.state.open.size,
      },
    };
  });
}
