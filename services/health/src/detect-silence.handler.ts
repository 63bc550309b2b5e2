import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { recordAlertsByKind } from './alerts-by-kind.metric';
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
      const { alerts, conflicts } = await deps.detectSilence.execute(deps.clock());
      deps.metrics.addMetric('UnicornsSilenced', MetricUnit.Count, alerts.length);
      recordAlertsByKind(deps.metrics, alerts);
      if (conflicts.length > 0) deps.logger.info('unicorns changed during the scan; judged again next time', { unicorns: [...conflicts] });
      return { silent: alerts.length };
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
