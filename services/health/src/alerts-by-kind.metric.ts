import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { UnicornAlert } from '@wildrydes/domain';

/** The EMF metric the dashboard's "alerts by kind" graph reads: `Alerts`, one series per `kind` dimension. */
export const ALERTS_BY_KIND_METRIC = 'Alerts';

/**
 * One `Alerts` metric per kind published (a single-metric EMF line each, since every kind needs its own
 * dimension), so the dashboard can show which alerts fire without reading the bus.
 */
export function recordAlertsByKind(metrics: Metrics, alerts: readonly Pick<UnicornAlert, 'kind'>[]): void {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  for (const [kind, count] of counts) {
    const single = metrics.singleMetric();
    single.addDimension('kind', kind);
    single.addMetric(ALERTS_BY_KIND_METRIC, MetricUnit.Count, count);
  }
}
