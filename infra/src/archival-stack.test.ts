import { describe, beforeAll, expect, it } from 'vitest';
import { ARCHIVE_ALERTS_SUBSCRIPTION, toCdkEventPattern } from './archival-stack';
import {
  buildServiceStacks,
  expectNoNagFindings,
  expectNoWildcardResources,
  expectServiceFunctionDefaults,
  grantMap,
  KINESIS_MAPPING_READ,
  ServiceTemplate,
  SQS_DESTINATION,
  STREAM_MAPPING_DEFAULTS,
  type ServiceStacks,
} from './service-stacks.test-support';

describe('WildRydesArchivalStack', () => {
  let stacks: ServiceStacks;
  let t: ServiceTemplate;

  beforeAll(async () => {
    stacks = await buildServiceStacks();
    t = new ServiceTemplate(stacks.archival, stacks.stateful);
  });

  it.each([
    ['archive-readings', () => stacks.archival.archiveReadings],
    ['archive-alert', () => stacks.archival.archiveAlert],
  ])('%s: arm64, Node.js 24, own log group, own role without managed policies', (_, fn) => {
    expectServiceFunctionDefaults(t, fn(), 'archival');
  });

  it('archive-readings reads wildrydes from the oldest record, 1,000 at a time within 20 s, with partial failures, bisect and bounded retries', () => {
    expect(t.mappingOf(stacks.archival.archiveReadings)).toEqual({
      ...STREAM_MAPPING_DEFAULTS,
      FunctionName: { Ref: t.logicalId(stacks.archival.archiveReadings.function) },
      EventSourceArn: t.ref(stacks.stateful.telemetryStream.streamArn),
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 20,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('archive-readings may do exactly: PutObject under raw/ and rejected/ of the data bucket, read wildrydes, report failures', () => {
    const { stateful, archival } = stacks;
    expect(t.grantsOf(archival.archiveReadings)).toEqual(grantMap(
      [['s3:PutObject'], [t.ref(stateful.dataBucket.arnForObjects('raw/*')), t.ref(stateful.dataBucket.arnForObjects('rejected/*'))]],
      [KINESIS_MAPPING_READ, [t.ref(stateful.telemetryStream.streamArn)]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(archival.archiveReadings),
    ));
  });

  it('archive-alert may do exactly: PutObject under alerts/ of the data bucket, report failures', () => {
    const { stateful, archival } = stacks;
    expect(t.grantsOf(archival.archiveAlert)).toEqual(grantMap(
      [['s3:PutObject'], [t.ref(stateful.dataBucket.arnForObjects('alerts/*'))]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(archival.archiveAlert),
    ));
  });

  it.each([
    ['archive-readings', () => stacks.archival.archiveReadings],
    ['archive-alert', () => stacks.archival.archiveAlert],
  ])('%s gets the data bucket name', (_, fn) => {
    expect(t.environmentOf(fn())).toMatchObject({ DATA_BUCKET_NAME: t.ref(stacks.stateful.dataBucket.bucketName) });
  });

  it("the service's own rule on the bus sends exactly source wildrydes.health / detail-type unicorn-alert to archive-alert", () => {
    const rule = t.resources[t.logicalId(stacks.archival.alertRule)]!.Properties;
    expect(t.deref(rule['EventBusName'])).toEqual(t.ref(stacks.stateful.eventBus.eventBusName));
    expect(rule['Name']).toBe('wildrydes-archival-unicorn-alert');
    expect(rule['EventPattern']).toEqual({ source: ['wildrydes.health'], 'detail-type': ['unicorn-alert'] });
    expect(rule['Targets']).toEqual([{
      Id: 'Target0',
      Arn: { 'Fn::GetAtt': [t.logicalId(stacks.archival.archiveAlert.function), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 8 },
      DeadLetterConfig: { Arn: t.failureQueueArn() },
    }]);
  });

  it('the rule is the domain’s unicorn-alert pattern under the rule name the archival service and local stack use', () => {
    const subscription = ARCHIVE_ALERTS_SUBSCRIPTION;
    const rule = t.resources[t.logicalId(stacks.archival.alertRule)]!.Properties;
    expect(rule['EventPattern']).toEqual(subscription.eventPattern);
    expect(rule['Name']).toBe(subscription.ruleName);
    expect(rule['Description']).toBe(subscription.description);
  });

  it('an alert that fails after two retries lands in the failure queue', () => {
    t.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: t.logicalId(stacks.archival.archiveAlert.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('event patterns: detail-type becomes detailType; unknown top-level keys are refused', () => {
    expect(toCdkEventPattern({ source: ['a'], 'detail-type': ['b'], detail: { kind: ['c'] } })).toEqual({ source: ['a'], detailType: ['b'], detail: { kind: ['c'] } });
    expect(() => toCdkEventPattern({ sourc: ['a'] })).toThrow(/unsupported top-level keys sourc/);
  });

  it('grants no wildcard resources beyond one key prefix of the data bucket', () => {
    expectNoWildcardResources(t);
  });

  it('cdk-nag AwsSolutions: no unsuppressed errors or warnings (the prefix wildcards are suppressed with their reason)', () => {
    expectNoNagFindings(stacks.archival);
  });
});
