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
  STREAM_MAPPING_DEFAULTS,
  type ServiceStacks,
} from './service-stacks.test-support';

describe('WildRydesAggregationStack', () => {
  let stacks: ServiceStacks;
  let t: ServiceTemplate;

  beforeAll(async () => {
    stacks = await buildServiceStacks();
    t = new ServiceTemplate(stacks.aggregation, stacks.stateful);
  });

  it('depends on the stateful stack only', () => {
    expect(stacks.aggregation.dependencies.map((s) => s.stackName)).toEqual(['WildRydesStateful']);
  });

  it('aggregate-minutes: arm64, Node.js 24, own log group, own role without managed policies', () => {
    expectServiceFunctionDefaults(t, stacks.aggregation.aggregateMinutes, 'aggregation');
  });

  it('reads wildrydes from the oldest record, 1,000 at a time within 20 s, in 15-minute tumbling windows, with partial failures, bisect and bounded retries', () => {
    expect(t.mappingOf(stacks.aggregation.aggregateMinutes)).toEqual({
      ...STREAM_MAPPING_DEFAULTS,
      FunctionName: { Ref: t.logicalId(stacks.aggregation.aggregateMinutes.function) },
      EventSourceArn: t.ref(stacks.stateful.telemetryStream.streamArn),
      BatchSize: 10000,
      MaximumBatchingWindowInSeconds: 20,
      TumblingWindowInSeconds: 900,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('may do exactly: its item actions on UnicornSensorData, PutRecords on wildrydes-summary, read wildrydes, report failures', () => {
    const { stateful, aggregation } = stacks;
    expect(t.grantsOf(aggregation.aggregateMinutes)).toEqual(grantMap(
      [['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], [t.ref(stateful.summaryTable.tableArn)]],
      [['kinesis:PutRecords'], [t.ref(stateful.summaryStream.streamArn)]],
      [KINESIS_MAPPING_READ, [t.ref(stateful.telemetryStream.streamArn)]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(aggregation.aggregateMinutes),
    ));
  });

  it('gets the table and summary stream names it was granted', () => {
    expect(t.environmentOf(stacks.aggregation.aggregateMinutes)).toMatchObject({
      SUMMARY_TABLE_NAME: t.ref(stacks.stateful.summaryTable.tableName),
      SUMMARY_STREAM_NAME: t.ref(stacks.stateful.summaryStream.streamName),
    });
  });

  it('grants no wildcard resources', () => {
    expectNoWildcardResources(t);
  });

  it('cdk-nag AwsSolutions: no unsuppressed errors or warnings', () => {
    expectNoNagFindings(stacks.aggregation);
  });
});
