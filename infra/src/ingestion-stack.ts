import { CfnOutput, CfnResource, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { DEFAULT_STAGE, stagedName } from '@wildrydes/domain';
import { AlarmFactory, type OperatedStackProps } from './alarm-factory';
import { failureQueue } from './kinesis-mapping';
import { ServiceFunction, useBucket, useStream, useTable } from './service-function';

/** Where uploaded telemetry files go; the notification and the function's read grant are both confined to it. */
export const UPLOAD_PREFIX = 'uploads/';

export interface WildRydesIngestionStackProps extends StackProps, OperatedStackProps {
  readonly telemetryStream: kinesis.IStream;
  readonly summaryTable: dynamodb.ITableV2;
  readonly dataBucket: s3.IBucket;
  /** Steady-state requests per second over all callers of the HTTP API. Default 500. */
  readonly httpRateLimit?: number;
  /** Burst of requests the HTTP API accepts above the rate. Default 1,000. */
  readonly httpBurstLimit?: number;
}

/**
 * The ingestion service: `POST /telemetry` (API Gateway HTTP API) and files uploaded under `uploads/` in the data
 * bucket, both onto `wildrydes`; the workshop's minute-summary files straight into `UnicornSensorData`; everything
 * refused into `rejected/`.
 */
export class WildRydesIngestionStack extends Stack {
  readonly postTelemetry: ServiceFunction;
  readonly importUpload: ServiceFunction;
  readonly httpApi: apigwv2.HttpApi;
  readonly alarms: AlarmFactory;

  constructor(scope: Construct, id: string, props: WildRydesIngestionStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? DEFAULT_STAGE;
    const failures = failureQueue(this, 'ingestion', stage);

    // --- HTTP ----------------------------------------------------------------------------------------------------
    this.postTelemetry = new ServiceFunction(this, 'PostTelemetry', {
      service: 'ingestion',
      stage,
      entry: 'post-telemetry.lambda.ts',
      description: 'Wild Rydes ingestion: POST /telemetry -> wildrydes (refused lines -> rejected/)',
      // API Gateway gives up on an integration after 30 s; a longer timeout would only run on after the 503.
      timeout: Duration.seconds(29),
    });
    useStream(this.postTelemetry, props.telemetryStream, 'TELEMETRY_STREAM_NAME', ['kinesis:PutRecords']);
    useBucket(this.postTelemetry, props.dataBucket, 'DATA_BUCKET_NAME', [{ actions: ['s3:PutObject'], prefixes: ['rejected/'] }]);

    const accessLogs = new logs.LogGroup(this, 'HttpAccessLogs', {
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: stagedName('wildrydes-ingestion', stage),
      description: 'Wild Rydes telemetry in over HTTP: POST /telemetry (one reading or NDJSON), IAM (SigV4) signed',
      // The stage is declared below, with its throttling and access logs.
      createDefaultStage: false,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.httpRateLimit ?? 500, burstLimit: props.httpBurstLimit ?? 1000 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          caller: '$context.identity.userArn',
          requestTime: '$context.requestTimeEpoch',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          integrationStatus: '$context.integrationStatus',
          integrationError: '$context.integrationErrorMessage',
        })),
      },
    });
    // Signed requests only: an open endpoint would let anyone fill the stream (and the bill). Sensors sign with
    // SigV4 as any AWS client does; `curl --aws-sigv4 "aws:amz:<region>:execute-api"` works for a quick test.
    this.httpApi.addRoutes({
      path: '/telemetry',
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('PostTelemetryIntegration', this.postTelemetry.function),
      authorizer: new HttpIamAuthorizer(),
    });
    new CfnOutput(this, 'TelemetryUrl', { value: `${this.httpApi.apiEndpoint}/telemetry`, description: 'POST readings here (SigV4, service execute-api)' });

    // --- File upload ---------------------------------------------------------------------------------------------
    this.importUpload = new ServiceFunction(this, 'ImportUpload', {
      service: 'ingestion',
      stage,
      entry: 'import-upload.lambda.ts',
      description: 'Wild Rydes ingestion: a file under uploads/ -> wildrydes and UnicornSensorData (report under reports/)',
      // Files are streamed in chunks of 500 lines; the time, not the memory, grows with the file. 15 min is Lambda's cap.
      memorySize: 1024,
      timeout: Duration.minutes(15),
    });
    useStream(this.importUpload, props.telemetryStream, 'TELEMETRY_STREAM_NAME', ['kinesis:PutRecords']);
    useTable(this.importUpload, props.summaryTable, 'SUMMARY_TABLE_NAME', ['dynamodb:BatchWriteItem']);
    useBucket(this.importUpload, props.dataBucket, 'DATA_BUCKET_NAME', [
      { actions: ['s3:GetObject'], prefixes: [UPLOAD_PREFIX] },
      { actions: ['s3:PutObject'], prefixes: ['rejected/', 'reports/'] },
    ]);
    // S3 invokes asynchronously: Lambda retries a failed import twice (re-importing is harmless), then the event goes
    // to the failure queue so the upload can be imported again by hand.
    this.importUpload.function.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failures) });

    this.notifyUploads(props.dataBucket);

    this.alarms = new AlarmFactory(this, 'Alarms', { stage, prefix: 'wildrydes', topic: props.alarmTopic });
    this.alarms.queueNotEmpty(failures, 'ingestion-failures', 'upload notifications whose import failed after Lambda\'s retries');
    for (const fn of [this.postTelemetry, this.importUpload]) this.alarms.functionErrorsAndThrottles(fn);
    this.alarms.httpServerErrors(this.httpApi, 'ingestion-http');
  }

  /**
   * S3 `ObjectCreated` under `uploads/` -> the import function. The bucket belongs to the stateful stack, so it is
   * imported here: the notification is then written by CDK's notifications custom resource in THIS stack (merged
   * with the bucket's other notifications, removed with this stack) instead of making the stateful stack depend on
   * this one. That custom resource's function gets a role with no managed policy and its own log group.
   */
  private notifyUploads(bucket: s3.IBucket): void {
    const handlerRole = new RoleWithoutManagedPolicies(this, 'UploadNotificationsHandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "CDK's S3 notifications custom resource (writes the uploads/ notification on the data bucket)",
    });
    const imported = s3.Bucket.fromBucketAttributes(this, 'DataBucket', {
      bucketArn: bucket.bucketArn,
      bucketName: bucket.bucketName,
      notificationsHandlerRole: handlerRole,
    });
    imported.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.importUpload.function), { prefix: UPLOAD_PREFIX });

    // CDK's singleton handler function (found by its fixed id); its log group is created here, deleted with the stack.
    const handler = this.node.findAll().find((c): c is CfnResource =>
      CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function' && c.node.scope?.node.id.startsWith('BucketNotificationsHandler') === true);
    if (handler === undefined) throw new Error('the S3 notifications handler was not created');
    const logGroup = new logs.LogGroup(this, 'UploadNotificationsHandlerLogGroup', {
      logGroupName: Fn.join('', ['/aws/lambda/', handler.ref]),
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logPolicy = new iam.Policy(this, 'UploadNotificationsHandlerLogs', {
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    });
    handlerRole.attachInlinePolicy(logPolicy);
    for (const custom of this.node.findAll().filter((c) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'Custom::S3BucketNotifications')) {
      custom.node.addDependency(logGroup, logPolicy);
    }
  }
}

/**
 * CDK's S3 notifications handler adds AWSLambdaBasicExecutionRole to its role (logs on every log group, cdk-nag
 * AwsSolutions-IAM4). This role ignores managed policies; the stack grants it its one log group instead.
 */
class RoleWithoutManagedPolicies extends iam.Role {
  override addManagedPolicy(_policy: iam.IManagedPolicy): void {
    // Deliberately not attached: see the class comment.
  }
}
