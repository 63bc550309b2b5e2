import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildServiceStacks,
  expectNoNagFindings,
  expectNoWildcardResources,
  expectServiceFunctionDefaults,
  grantMap,
  KINESIS_MAPPING_READ,
  ServiceTemplate,
  SQS_DESTINATION,
  TRACE_WRITES,
  STREAM_MAPPING_DEFAULTS,
  type ServiceStacks,
} from './service-stacks.test-support';

describe('WildRydesHealthStack', () => {
  let stacks: ServiceStacks;
  let t: ServiceTemplate;

  beforeAll(async () => {
    stacks = await buildServiceStacks();
    t = new ServiceTemplate(stacks.health, stacks.stateful);
  });

  it('depends on the stateful stack, so `cdk deploy WildRydesHealth` deploys it first', () => {
    expect(stacks.health.dependencies.map((s) => s.stackName)).toEqual(['WildRydesStateful']);
  });

  it.each([
    ['track-health', () => stacks.health.trackHealth],
    ['detect-silence', () => stacks.health.detectSilence],
  ])('%s: arm64, Node.js 24, own log group (14 days, deleted), own role without managed policies', (_, fn) => {
    expectServiceFunctionDefaults(t, fn(), 'health');
  });

  it('track-health reads wildrydes from the oldest record, up to 10,000 at a time with no batching window (alerts are the now path), with partial failures, bisect and bounded retries', () => {
    expect(t.mappingOf(stacks.health.trackHealth)).toEqual({
      ...STREAM_MAPPING_DEFAULTS,
      FunctionName: { Ref: t.logicalId(stacks.health.trackHealth.function) },
      EventSourceArn: t.ref(stacks.stateful.telemetryStream.streamArn),
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 0,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('track-health may do exactly: BatchGetItem/GetItem/PutItem on UnicornHealth, PutEvents on the bus, read wildrydes, report failures', () => {
    const { stateful, health } = stacks;
    expect(t.grantsOf(health.trackHealth)).toEqual(grantMap(
      [['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], [t.ref(stateful.healthTable.tableArn)]],
      [['events:PutEvents'], [t.ref(stateful.eventBus.eventBusArn)]],
      [KINESIS_MAPPING_READ, [t.ref(stateful.telemetryStream.streamArn)]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(health.trackHealth),
      TRACE_WRITES,
    ));
  });

  it('detect-silence may do exactly: BatchGetItem/Scan/PutItem on UnicornHealth, read shards of wildrydes, PutEvents on the bus, report its failure', () => {
    const { stateful, health } = stacks;
    expect(t.grantsOf(health.detectSilence)).toEqual(grantMap(
      [['dynamodb:BatchGetItem', 'dynamodb:Scan', 'dynamodb:PutItem'], [t.ref(stateful.healthTable.tableArn)]],
      [['kinesis:GetShardIterator', 'kinesis:GetRecords'], [t.ref(stateful.telemetryStream.streamArn)]],
      [['events:PutEvents'], [t.ref(stateful.eventBus.eventBusArn)]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(health.detectSilence),
      TRACE_WRITES,
    ));
  });

  it.each([
    ['track-health', () => stacks.health.trackHealth],
    ['detect-silence', () => stacks.health.detectSilence],
  ])('%s gets the table and bus names it was granted', (_, fn) => {
    expect(t.environmentOf(fn())).toMatchObject({
      HEALTH_TABLE_NAME: t.ref(stacks.stateful.healthTable.tableName),
      EVENT_BUS_NAME: t.ref(stacks.stateful.eventBus.eventBusName),
    });
  });

  it('detect-silence gets the telemetry stream it may read', () => {
    expect(t.environmentOf(stacks.health.detectSilence)).toMatchObject({ TELEMETRY_STREAM_NAME: t.ref(stacks.stateful.telemetryStream.streamName) });
  });

  it('the silence scan runs every minute; a failed run is not retried (the next one covers it) and lands in the failure queue', () => {
    const rule = t.resources[t.logicalId(stacks.health.silenceSchedule)]!.Properties;
    expect(rule['ScheduleExpression']).toBe('rate(1 minute)');
    expect(rule['State']).toBe('ENABLED');
    expect(rule['Targets']).toEqual([{
      Id: 'Target0',
      Arn: { 'Fn::GetAtt': [t.logicalId(stacks.health.detectSilence.function), 'Arn'] },
      RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: t.failureQueueArn() },
    }]);
    t.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: t.logicalId(stacks.health.detectSilence.function) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('the failure queue is encrypted, TLS-only, keeps 14 days and is deleted with the stack', () => {
    const [id, queue] = Object.entries(t.resources).find(([, r]) => r.Type === 'AWS::SQS::Queue')!;
    expect(queue.Properties).toMatchObject({ QueueName: 'wildrydes-health-failures', SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(queue.DeletionPolicy).toBe('Delete');
    t.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('grants no wildcard resources', () => {
    expectNoWildcardResources(t);
  });

  it('cdk-nag AwsSolutions: no unsuppressed errors or warnings', () => {
    expectNoNagFindings(stacks.health);
  });
});
