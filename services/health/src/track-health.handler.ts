import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchItemFailures, decodeKinesisEvent } from '@wildrydes/adapters';
import type { TrackHealth } from './track-health.use-case';

export interface TrackHealthHandlerDependencies {
  readonly trackHealth: TrackHealth;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/**
 * The Kinesis handler: decode, apply, report the records of unicorns that could not be applied
 * (ReportBatchItemFailures). Rejected records are counted here; the archival service quarantines them
 * (one owner, so a poison record is stored once, not four times). An unexpected error fails the whole batch,
 * so the mapping retries and bisects it.
 */
export function createTrackHealthHandler(deps: TrackHealthHandlerDependencies) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const decoded = decodeKinesisEvent(event, deps.clock());
    try {
      const result = await deps.trackHealth.execute(decoded.readings.map((r) => r.reading));
      const failed = new Set(result.failedUnicorns);
      deps.metrics.addMetric('ReadingsApplied', MetricUnit.Count, decoded.readings.length);
      deps.metrics.addMetric('RecordsRejected', MetricUnit.Count, decoded.quarantined.length);
      deps.metrics.addMetric('AlertsPublished', MetricUnit.Count, result.alerts.length);
      deps.metrics.addMetric('HealthWrites', MetricUnit.Count, result.written);
      if (failed.size > 0) deps.logger.warn('unicorns not applied; their records will be redelivered', { unicorns: [...failed] });
      return batchItemFailures(decoded.readings.filter((r) => failed.has(r.reading.name)).map((r) => r.sequenceNumber));
    } catch (error) {
      deps.logger.error('batch failed; it will be retried', error as Error);
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
