import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { EventBridgeEvent } from 'aws-lambda';
import type { ArchiveAlert, ArchiveAlertResult } from './archive-alert.use-case';

export interface ArchiveAlertHandlerDependencies {
  readonly archiveAlert: ArchiveAlert;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/**
 * The target of archival's own rule on the `wildrydes` bus (`alert-subscription.ts`). EventBridge invokes it
 * asynchronously: a thrown error makes Lambda retry the event, and the rule's dead-letter queue keeps what
 * still fails, so errors are never swallowed here.
 */
export function createArchiveAlertHandler(deps: ArchiveAlertHandlerDependencies) {
  return async (event: EventBridgeEvent<string, unknown>): Promise<ArchiveAlertResult> => {
    const putAt = Date.parse(event.time);
    try {
      const result = await deps.archiveAlert.execute({
        detail: event.detail,
        eventId: event.id,
        // EventBridge always sets `time`; the clock is only a fallback for a hand-made event.
        receivedAt: Number.isNaN(putAt) ? deps.clock() : putAt,
      });
      if (result.outcome === 'archived') {
        deps.metrics.addMetric('AlertsArchived', MetricUnit.Count, 1);
      } else {
        deps.metrics.addMetric('AlertsQuarantined', MetricUnit.Count, 1);
        deps.logger.warn('unicorn-alert quarantined', { eventId: event.id, code: result.code, reason: result.reason });
      }
      return result;
    } catch (error) {
      deps.logger.error('unicorn-alert not archived; the invocation will be retried', error as Error);
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
