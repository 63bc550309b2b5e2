import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchItemFailures, decodeKinesisEvent } from '@wildrydes/adapters';
import type { AggregateMinutes } from './aggregate-minutes.use-case';

export interface AggregateMinutesHandlerDependencies {
  readonly aggregateMinutes: AggregateMinutes;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/**
 * The Kinesis handler on `wildrydes`: decode, aggregate, emit. Merging is idempotent, so a failure fails the
 * whole batch (the mapping retries or bisects it; a replay costs reads, not writes); rejected records are only
 * counted here, as archival quarantines them.
 */
export function createAggregateMinutesHandler(deps: AggregateMinutesHandlerDependencies) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const decoded = decodeKinesisEvent(event, deps.clock());
    try {
      const result = await deps.aggregateMinutes.execute(decoded.readings.map((r) => r.reading));
      deps.metrics.addMetric('ReadingsAggregated', MetricUnit.Count, decoded.readings.length);
      deps.metrics.addMetric('RecordsRejected', MetricUnit.Count, decoded.quarantined.length);
      deps.metrics.addMetric('MinutesWritten', MetricUnit.Count, result.windowsChanged);
      deps.metrics.addMetric('MinutesEmitted', MetricUnit.Count, result.emitted.length);
      return batchItemFailures([]);
    } catch (error) {
      deps.logger.error('batch failed; it will be retried', error as Error);
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
