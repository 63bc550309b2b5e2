import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildServiceStacks,
  expectNoNagFindings,
  expectNoWildcardResources,
  expectServiceFunctionDefaults,
  grantMap,
  ServiceTemplate,
  SQS_DESTINATION,
  TRACE_WRITES,
  type ServiceStacks,
} from './service-stacks.test-support';

describe('WildRydesIngestionStack', () => {
  let stacks: ServiceStacks;
  let t: ServiceTemplate;

  beforeAll(async () => {
    stacks = await buildServiceStacks();
    t = new ServiceTemplate(stacks.ingestion, stacks.stateful);
  });

  const ofType = (type: string) => Object.entries(t.resources).filter(([, r]) => r.Type === type);

  it.each([
    ['post-telemetry', () => stacks.ingestion.postTelemetry],
    ['import-upload', () => stacks.ingestion.importUpload],
  ])('%s: arm64, Node.js 24, own log group, own role without managed policies', (_, fn) => {
    expectServiceFunctionDefaults(t, fn(), 'ingestion');
  });

  it('post-telemetry may do exactly: PutRecords on wildrydes, PutObject under rejected/', () => {
    const { stateful, ingestion } = stacks;
    expect(t.grantsOf(ingestion.postTelemetry)).toEqual(grantMap(
      [['kinesis:PutRecords'], [t.ref(stateful.telemetryStream.streamArn)]],
      [['s3:PutObject'], [t.ref(stateful.dataBucket.arnForObjects('rejected/*'))]],
      t.logWrites(ingestion.postTelemetry),
      TRACE_WRITES,
    ));
    expect(t.environmentOf(ingestion.postTelemetry)).toMatchObject({
      TELEMETRY_STREAM_NAME: t.ref(stateful.telemetryStream.streamName),
      DATA_BUCKET_NAME: t.ref(stateful.dataBucket.bucketName),
    });
  });

  it('import-upload may do exactly: GetObject under uploads/, PutObject under rejected/ and reports/, PutRecords, BatchWriteItem, report failures', () => {
    const { stateful, ingestion } = stacks;
    expect(t.grantsOf(ingestion.importUpload)).toEqual(grantMap(
      [['s3:GetObject'], [t.ref(stateful.dataBucket.arnForObjects('uploads/*'))]],
      [['s3:PutObject'], [t.ref(stateful.dataBucket.arnForObjects('rejected/*')), t.ref(stateful.dataBucket.arnForObjects('reports/*'))]],
      [['kinesis:PutRecords'], [t.ref(stateful.telemetryStream.streamArn)]],
      [['dynamodb:BatchWriteItem'], [t.ref(stateful.summaryTable.tableArn)]],
      [SQS_DESTINATION, [t.failureQueueArn()]],
      t.logWrites(ingestion.importUpload),
      TRACE_WRITES,
    ));
    expect(t.environmentOf(ingestion.importUpload)).toMatchObject({
      TELEMETRY_STREAM_NAME: t.ref(stateful.telemetryStream.streamName),
      SUMMARY_TABLE_NAME: t.ref(stateful.summaryTable.tableName),
      DATA_BUCKET_NAME: t.ref(stateful.dataBucket.bucketName),
    });
  });

  it('HTTP API: one route, POST /telemetry, IAM-authorized, Lambda proxy (payload 2.0) to post-telemetry', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(1);
    const route = routes[0]![1].Properties;
    expect(route['RouteKey']).toBe('POST /telemetry');
    expect(route['AuthorizationType']).toBe('AWS_IAM');
    const [integrationId, integration] = ofType('AWS::ApiGatewayV2::Integration')[0]!;
    expect(route['Target']).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [t.logicalId(stacks.ingestion.postTelemetry.function), 'Arn'] },
    });
  });

  it('HTTP API: the $default stage is throttled and writes JSON access logs to a log group deleted with the stack', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties;
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 } });
    const accessLogs = stage['AccessLogSettings'] as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    const logGroup = t.resources[accessLogs.DestinationArn['Fn::GetAtt'][0]]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.DeletionPolicy).toBe('Delete');
    expect(logGroup.Properties['RetentionInDays']).toBe(14);
    expect(JSON.parse(accessLogs.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });

  it('S3: ObjectCreated under uploads/ of the data bucket invokes import-upload, and only from that bucket and account', () => {
    const notifications = ofType('Custom::S3BucketNotifications');
    expect(notifications).toHaveLength(1);
    const props = t.deref(notifications[0]![1].Properties) as Record<string, unknown>;
    expect(props['BucketName']).toEqual(t.ref(stacks.stateful.dataBucket.bucketName));
    // Merged with the bucket's other notifications, and only this stack's removed on destroy.
    expect(props['Managed']).toBe(false);
    expect(props['NotificationConfiguration']).toEqual({
      LambdaFunctionConfigurations: [{
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
        LambdaFunctionArn: { 'Fn::GetAtt': [t.logicalId(stacks.ingestion.importUpload.function), 'Arn'] },
      }],
    });
    const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => t.deref(r.Properties) as Record<string, unknown>).filter((p) => p['Principal'] === 's3.amazonaws.com');
    expect(permissions).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [t.logicalId(stacks.ingestion.importUpload.function), 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: t.ref(stacks.stateful.dataBucket.bucketArn),
    }]);
  });

  it("CDK's notifications handler: no managed policy, bucket notification actions on the data bucket only, its own log group", () => {
    const handlers = ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith('BucketNotificationsHandler'));
    expect(handlers).toHaveLength(1);
    const [handlerId, handler] = handlers[0]!;
    const roleId = (handler.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(t.managedPoliciesOf(roleId)).toBeUndefined();
    const [logGroupId, logGroup] = ofType('AWS::Logs::LogGroup').find(([, g]) =>
      JSON.stringify(g.Properties['LogGroupName']) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: handlerId }]] }))!;
    expect(logGroup.DeletionPolicy).toBe('Delete');
    expect(t.grantsOfRole(roleId)).toEqual(grantMap(
      [['s3:GetBucketNotification', 's3:PutBucketNotification'], [t.ref(stacks.stateful.dataBucket.bucketArn)]],
      [['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]],
    ));
    // The group exists before the handler first runs (and outlives its last run).
    expect(t.resources[ofType('Custom::S3BucketNotifications')[0]![0]]!.DependsOn).toContain(logGroupId);
  });

  it('a failed import (after two retries) lands in the failure queue', () => {
    t.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: t.logicalId(stacks.ingestion.importUpload.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: t.failureQueueArn() } },
    });
  });

  it('grants no wildcard resources beyond one key prefix of the data bucket', () => {
    expectNoWildcardResources(t);
  });

  it('cdk-nag AwsSolutions: no unsuppressed errors or warnings', () => {
    expectNoNagFindings(stacks.ingestion);
  });
});
