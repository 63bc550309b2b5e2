import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { ALERT_KINDS, DEFAULT_STAGE, stagedName } from '@wildrydes/domain';
import type { WildRydesAggregationStack } from './aggregation-stack';
import type { WildRydesArchivalStack } from './archival-stack';
import type { WildRydesHealthStack } from './health-stack';
import type { WildRydesIngestionStack } from './ingestion-stack';
import { metricsNamespace, type ServiceFunction } from './service-function';
import type { WildRydesStatefulStack } from './stateful-stack';

export interface WildRydesDashboardStackProps extends StackProps {
  readonly stage?: string;
  readonly stateful: WildRydesStatefulStack;
  readonly ingestion: WildRydesIngestionStack;
  readonly health: WildRydesHealthStack;
  readonly aggregation: WildRydesAggregationStack;
  readonly archival: WildRydesArchivalStack;
}

const PERIOD = Duration.minutes(1);
const WIDE = 12;
const HEIGHT = 6;

/**
 * The stage's CloudWatch dashboard, `wildrydes` (`wildrydes-<stage>`): what comes in, how far each service lags,
 * which alerts fire, what is quarantined, what DynamoDB consumes, and what drives the bill. Its own stack, because it
 * reads every service stack's functions: deploying it deploys the stage's stacks it depends on first.
 */
export class WildRydesDashboardStack extends Stack {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: WildRydesDashboardStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? DEFAULT_STAGE;
    const { stateful, ingestion, health, aggregation, archival } = props;
    const namespace = metricsNamespace(stage);
    const emf = (service: string, metricName: string, dimensions: Record<string, string> = {}, label?: string) =>
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service: `wildrydes-${service}`, ...dimensions }, statistic: 'Sum', period: PERIOD, ...(label === undefined ? {} : { label }) });
    const streamFunctions = [health.trackHealth, aggregation.aggregateMinutes, archival.archiveReadings];
    const allFunctions = [ingestion.postTelemetry, ingestion.importUpload, health.trackHealth, health.detectSilence, aggregation.aggregateMinutes, archival.archiveReadings, archival.archiveAlert];
    const byFunction = (metric: (fn: ServiceFunction) => cloudwatch.IMetric) => allFunctions.map(metric);
    const rules: [string, events.IRule][] = [
      ['archival alert rule', archival.alertRule], ['alert queue rule', stateful.alertQueueRule], ['silence schedule', health.silenceSchedule],
    ];
    const ruleMetric = (metricName: string) => rules.map(([label, rule]) =>
      new cloudwatch.Metric({ namespace: 'AWS/Events', metricName, dimensionsMap: { RuleName: rule.ruleName }, statistic: 'Sum', period: PERIOD, label }));
    const tableMetrics = (metricName: string) => [stateful.healthTable, stateful.summaryTable].map((table) =>
      new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName }, statistic: 'Sum', period: PERIOD, label: `${table.node.id} ${metricName}` }));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: stagedName('wildrydes', stage),
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          graph('Readings in (Kinesis records on the telemetry stream)', [
            stateful.telemetryStream.metricIncomingRecords({ statistic: 'Sum', period: PERIOD, label: 'IncomingRecords' }),
            emf('ingestion', 'ReadingsAccepted', {}, 'over HTTP'),
            emf('ingestion', 'ReadingsSent', {}, 'from uploads'),
          ]),
          graph('Lag per service (IteratorAge, ms; alarm above 60,000)', streamFunctions.map((fn) =>
            fn.function.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD, label: fn.name }))),
        ],
        [
          graph('Alerts by kind (health, EMF)', ALERT_KINDS.map((kind) => emf('health', 'Alerts', { kind }, kind)), { stacked: true }),
          graph('Quarantined', [
            emf('archival', 'RecordsRejected', {}, 'stream records (archival)'),
            emf('ingestion', 'LinesRejected', {}, 'HTTP and upload lines'),
            emf('archival', 'AlertsQuarantined', {}, 'alerts'),
          ]),
        ],
        [
          graph('DynamoDB consumed capacity (WCU)', tableMetrics('ConsumedWriteCapacityUnits')),
          graph('DynamoDB consumed capacity (RCU)', tableMetrics('ConsumedReadCapacityUnits')),
        ],
        [
          graph('Cost: Kinesis (records and bytes written)', [
            stateful.telemetryStream.metricIncomingRecords({ statistic: 'Sum', period: PERIOD, label: 'telemetry records' }),
            stateful.summaryStream.metricIncomingRecords({ statistic: 'Sum', period: PERIOD, label: 'summary records' }),
          ], {
            right: [stateful.telemetryStream.metricIncomingBytes({ statistic: 'Sum', period: PERIOD, label: 'telemetry bytes' })],
          }),
          graph('Cost: EventBridge invocations per rule', ruleMetric('Invocations')),
        ],
        [
          graph('Cost: Lambda invocations', byFunction((fn) => fn.function.metricInvocations({ statistic: 'Sum', period: PERIOD, label: fn.name }))),
          graph('Cost: Lambda duration (ms, sum)', byFunction((fn) => fn.function.metricDuration({ statistic: 'Sum', period: PERIOD, label: fn.name }))),
        ],
      ],
    });
  }
}

function graph(title: string, left: cloudwatch.IMetric[], options: { stacked?: boolean; right?: cloudwatch.IMetric[] } = {}): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right: options.right ?? [], stacked: options.stacked ?? false, width: WIDE, height: HEIGHT });
}
