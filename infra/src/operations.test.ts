import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '@wildrydes/domain';
import { ITERATOR_AGE_ALARM_MS } from './alarm-factory';
import type { ServiceFunction } from './service-function';
import { buildServiceStacks, ServiceTemplate, type ServiceStacks } from './service-stacks.test-support';

type Alarm = { stack: string; props: Record<string, unknown> };

describe('operations: alarms, alarm topic, dashboard (stage dev)', () => {
  let stacks: ServiceStacks;
  let alarms: Alarm[];
  let topicArn: unknown;

  const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  const dimension = (alarm: Alarm, name: string) => (alarm.props['Dimensions'] as { Name: string; Value: unknown }[] | undefined)?.find((d) => d.Name === name)?.Value;
  const alarmsOn = (metricName: string, dimensionName: string, value: unknown) =>
    alarms.filter((a) => a.props['MetricName'] === metricName && JSON.stringify(dimension(a, dimensionName)) === JSON.stringify(value));
  const fnRef = (fn: ServiceFunction) => ({ Ref: logicalId(fn.function.stack, fn.function) });
  const allFunctions = () => [
    stacks.ingestion.postTelemetry, stacks.ingestion.importUpload, stacks.health.trackHealth, stacks.health.detectSilence,
    stacks.aggregation.aggregateMinutes, stacks.archival.archiveReadings, stacks.archival.archiveAlert,
  ];

  beforeAll(async () => {
    stacks = await buildServiceStacks(undefined, { stage: 'dev', alarmEmail: 'ops@example.com' });
    alarms = [];
    for (const stack of [stacks.stateful, stacks.ingestion, stacks.health, stacks.aggregation, stacks.archival]) {
      const t = new ServiceTemplate(stack, stacks.stateful);
      for (const resource of Object.values(t.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')) {
        alarms.push({ stack: stack.stackName, props: t.deref(resource.Properties) as Record<string, unknown> });
      }
    }
    topicArn = stacks.stateful.resolve(stacks.stateful.alarmTopic.topicArn);
  });

  describe('the alarm topic', () => {
    it('is the stage’s, encrypted with a rotated customer key that CloudWatch may use (the AWS-managed key would drop every notification)', () => {
      const t = Template.fromStack(stacks.stateful);
      const keyId = logicalId(stacks.stateful, stacks.stateful.alarmTopic.masterKey as never);
      t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'wildrydes-alarms-dev', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      t.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        })]) },
      });
    });

    it('accepts publishes from this account’s CloudWatch alarms, and nothing without TLS', () => {
      Template.fromStack(stacks.stateful).hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
        ]) },
      });
    });

    it('subscribes the alarmEmail address, and nobody when it is not given', async () => {
      Template.fromStack(stacks.stateful).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
      const plain = await buildServiceStacks(undefined, { stage: 'dev' });
      Template.fromStack(plain.stateful).resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('alarms', () => {
    it('every alarm tells the stage’s topic when it fires and when it clears, and carries the stage in its name', () => {
      expect(alarms.length).toBeGreaterThan(20);
      for (const alarm of alarms) {
        expect(alarm.props['AlarmActions'], String(alarm.props['AlarmName'])).toEqual([topicArn]);
        expect(alarm.props['OKActions'], String(alarm.props['AlarmName'])).toEqual([topicArn]);
        expect(alarm.props['AlarmName']).toMatch(/^wildrydes-[a-z0-9-]+-dev$/);
        expect(alarm.props['TreatMissingData']).toBe('notBreaching');
      }
    });

    it('every failure destination and dead-letter queue that is not empty raises an alarm', () => {
      const queues = [stacks.stateful.alertDeadLetterQueue, ...[stacks.ingestion, stacks.health, stacks.aggregation, stacks.archival].map((s) => s.node.findChild('FailureQueue') as never)];
      for (const queue of queues as { stack: Stack; node: { defaultChild?: unknown } }[]) {
        const ref = queue.stack === stacks.stateful
          ? { 'Fn::GetAtt': [logicalId(stacks.stateful, queue), 'QueueName'] }
          : { 'Fn::GetAtt': [logicalId(queue.stack, queue), 'QueueName'] };
        const [alarm] = alarmsOn('ApproximateNumberOfMessagesVisible', 'QueueName', ref);
        expect(alarm, JSON.stringify(ref)).toBeDefined();
        expect(alarm!.props).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 60, EvaluationPeriods: 1 });
      }
    });

    it('each stream function’s IteratorAge above a minute, three minutes running, raises an alarm', () => {
      for (const fn of [stacks.health.trackHealth, stacks.aggregation.aggregateMinutes, stacks.archival.archiveReadings]) {
        const [alarm] = alarmsOn('IteratorAge', 'FunctionName', fnRef(fn));
        expect(alarm, fn.name).toBeDefined();
        expect(alarm!.props).toMatchObject({
          Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: ITERATOR_AGE_ALARM_MS, ComparisonOperator: 'GreaterThanThreshold', Period: 60, EvaluationPeriods: 3,
          AlarmName: `wildrydes-${fn.name}-iterator-age-dev`,
        });
      }
    });

    it('every function’s errors and throttles raise alarms', () => {
      for (const fn of allFunctions()) {
        for (const metric of ['Errors', 'Throttles']) {
          const [alarm] = alarmsOn(metric, 'FunctionName', fnRef(fn));
          expect(alarm, `${fn.name} ${metric}`).toBeDefined();
          expect(alarm!.props).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        }
      }
    });

    it('failed invocations of the alert rules (archival’s, the alert queue’s) and of the silence schedule raise alarms', () => {
      for (const rule of [stacks.archival.alertRule, stacks.stateful.alertQueueRule, stacks.health.silenceSchedule]) {
        const [alarm] = alarmsOn('FailedInvocations', 'RuleName', { Ref: logicalId(rule.stack, rule) });
        expect(alarm, rule.node.path).toBeDefined();
        expect(alarm!.props).toMatchObject({ Namespace: 'AWS/Events', Statistic: 'Sum', Threshold: 1 });
      }
    });

    it('a 5xx of the ingestion HTTP API raises an alarm', () => {
      const [alarm] = alarmsOn('5xx', 'ApiId', { Ref: logicalId(stacks.ingestion, stacks.ingestion.httpApi) });
      expect(alarm).toBeDefined();
      expect(alarm!.props).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Threshold: 1, AlarmName: 'wildrydes-ingestion-http-5xx-dev' });
    });
  });

  describe('the dashboard', () => {
    /** The dashboard body with every reference replaced by what it points at. */
    let body: string;
    let widgets: { properties: { title: string; metrics: unknown[][] } }[];

    beforeAll(() => {
      const t = Template.fromStack(stacks.dashboard).toJSON() as { Resources: Record<string, { Type: string; Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] }; DashboardName: string } }> };
      const [dashboard] = Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
      expect(dashboard!.Properties.DashboardName).toBe('wildrydes-dev');
      body = dashboard!.Properties.DashboardBody['Fn::Join'][1].map((part) => {
        if (typeof part === 'string') return part;
        const ref = (part as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })['Fn::GetStackOutput'];
        if (ref !== undefined) return `<${ref.StackName}:${ref.OutputName}>`;
        return `<${(part as { Ref?: string }).Ref ?? JSON.stringify(part).replaceAll('"', "'")}>`;
      }).join('');
      widgets = (JSON.parse(body) as { widgets: typeof widgets }).widgets;
    });

    const metricsOf = (title: RegExp) => widgets.filter((w) => title.test(w.properties.title)).flatMap((w) => w.properties.metrics);

    it('shows readings in (IncomingRecords of the telemetry stream)', () => {
      expect(metricsOf(/^Readings in/)).toEqual(expect.arrayContaining([
        expect.arrayContaining(['AWS/Kinesis', 'IncomingRecords', 'StreamName', expect.stringMatching(/^<WildRydesStateful-dev:PublishOutputRefTelemetryStream/)]),
      ]));
    });

    it('shows each stream service’s lag (IteratorAge of its function)', () => {
      const lag = metricsOf(/^Lag per service/);
      for (const fn of ['TrackHealthFunction', 'AggregateMinutesFunction', 'ArchiveReadingsFunction']) {
        expect(lag).toEqual(expect.arrayContaining([expect.arrayContaining(['AWS/Lambda', 'IteratorAge', 'FunctionName', expect.stringContaining(fn)])]));
      }
    });

    it('shows alerts by kind from the health service’s EMF metric, in the stage’s namespace', () => {
      const alerts = metricsOf(/^Alerts by kind/);
      expect(alerts).toHaveLength(ALERT_KINDS.length);
      for (const kind of ALERT_KINDS) {
        expect(alerts).toEqual(expect.arrayContaining([expect.arrayContaining(['WildRydes-dev', 'Alerts', 'service', 'wildrydes-health', 'kind', kind])]));
      }
    });

    it('shows quarantined records, DynamoDB consumed capacity and the cost drivers', () => {
      expect(metricsOf(/^Quarantined/)).toEqual(expect.arrayContaining([expect.arrayContaining(['WildRydes-dev', 'RecordsRejected', 'service', 'wildrydes-archival'])]));
      for (const metric of ['ConsumedWriteCapacityUnits', 'ConsumedReadCapacityUnits']) {
        expect(metricsOf(/^DynamoDB consumed/).filter((m) => m.includes(metric))).toHaveLength(2);
      }
      expect(metricsOf(/^Cost: Kinesis/)).toEqual(expect.arrayContaining([expect.arrayContaining(['AWS/Kinesis', 'IncomingBytes'])]));
      expect(metricsOf(/^Cost: Lambda invocations/)).toHaveLength(allFunctions().length);
      expect(metricsOf(/^Cost: Lambda duration/)).toHaveLength(allFunctions().length);
      expect(metricsOf(/^Cost: EventBridge/)).toEqual(expect.arrayContaining([expect.arrayContaining(['AWS/Events', 'Invocations', 'RuleName'])]));
    });

    it('its stack depends on the stage’s stacks, so deploying it deploys them first', () => {
      expect(stacks.dashboard.dependencies.map((s) => s.stackName).sort()).toEqual([
        'WildRydesAggregation-dev', 'WildRydesArchival-dev', 'WildRydesHealth-dev', 'WildRydesIngestion-dev', 'WildRydesStateful-dev',
      ]);
    });
  });
});
