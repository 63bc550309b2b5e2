import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import type { DetectSilence } from './detect-silence.use-case';

export interface DetectSilenceHandlerDependencies {
  readonly detectSilence: DetectSilence;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/** The scheduled handler (`rate(1 minute)`): runs the silence scan at the time it is invoked. */
export function createDetectSilenceHandler(deps: DetectSilenceHandlerDependencies) {
  return async (_event: ScheduledEvent): Promise<{ silent: number }> => {
    try {
      const { alerts, conflicts, busyShards, unansweredShards } = await deps.detectSilence.execute(deps.clock());
      deps.metrics.addMetric('UnicornsSilenced', MetricUnit.Count, alerts.length);
      if (conflicts.length > 0) deps.logger.info('unicorns changed during the scan; judged again next time', { unicorns: [...conflicts] });
      if (busyShards.length > 0) deps.logger.info('shards not saved lately still receive records: their handler is behind, not idle', { shards: [...busyShards] });
      if (unansweredShards.length > 0) deps.logger.warn('the stream could not say whether these shards are idle; judged next time', { shards: [...unansweredShards] });
      return { silent: alerts.length };
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
