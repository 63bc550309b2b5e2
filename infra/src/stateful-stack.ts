import { DEFAULT_STAGE, resourceNames, stagedName, TABLE_KEYS, UNICORN_ALERT, type ResourceNames } from '@wildrydes/domain';
import { CfnOutput, CfnResource, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { partitionProjection, type ArchiveTable } from '@wildrydes/domain';
import type { ArchiveCatalog } from './archive-catalog';
import { AlarmFactory } from './alarm-factory';
import { unicornAlertSchemaText } from './unicorn-alert-schema';

/** On-demand, or a fixed number of provisioned shards (1 shard = 1,000 records/s or 1 MB/s written). */
export type StreamCapacity = { readonly mode: 'on-demand' } | { readonly mode: 'provisioned'; readonly shards: number };

export interface WildRydesStatefulStackProps extends StackProps {
  /** The stage every physical name carries (`resourceNames(stage)`); the default stage keeps the workshop's names. */
  readonly stage?: string;
  /** Subscribed by e-mail to the stage's alarm topic when given (the address must confirm the subscription). */
  readonly alarmEmail?: string;
  /** The archive tables (Glue) and the workshop's saved queries (Athena). */
  readonly catalog: ArchiveCatalog;
  /** Stream `wildrydes`. Default: on-demand. */
  readonly telemetryStreamCapacity?: StreamCapacity;
  /** Stream `wildrydes-summary` (one record per unicorn-minute). Default: 1 provisioned shard. */
  readonly summaryStreamCapacity?: StreamCapacity;
  /** Retention of both streams. Default: 24 hours (the free tier of retention). */
  readonly streamRetention?: Duration;
  /** How long the bus's event archive keeps events for replay. Default: 30 days. */
  readonly eventArchiveRetention?: Duration;
  /** Objects under `raw/` move to S3 Intelligent-Tiering (still queryable by Athena) after this. Default: 30 days. */
  readonly rawTieringAfter?: Duration;
  /** Quarantined records under `rejected/` are deleted after this. Default: 90 days. */
  readonly rejectedExpiration?: Duration;
  /** Athena query results are deleted after this. Default: 7 days. */
  readonly athenaResultsExpiration?: Duration;
  /** A query that would scan more is cancelled (Athena's minimum is 10 MB). Default: 1 GiB. */
  readonly bytesScannedCutoffPerQuery?: number;
  /** First day partition projection enumerates (`YYYY-MM-DD`): the day the archive started. Default: 2026-01-01. */
  readonly projectionStartDate?: string;
  /**
   * When true, the tables, the data bucket and the access-log bucket are deleted with the stack (deletion protection
   * off, buckets emptied). Default false: they are retained. Deploy with it set before destroying, because
   * CloudFormation applies the deletion policy of the template that is deployed.
   */
  readonly destroyData?: boolean;
}

export const DEFAULT_BYTES_SCANNED_CUTOFF = 1024 ** 3;
const ATHENA_MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

export const ALERT_QUEUE_NAME = 'wildrydes-unicorn-alerts';
/** The SNS topic every alarm of a stage notifies (staged like every name). */
export const ALARM_TOPIC_NAME = 'wildrydes-alarms';

/**
 * Everything that holds data or is shared between services: the two streams, the bus (with its archive and the
 * `unicorn-alert` schema), the two tables, the data bucket with its Glue tables and Athena workgroup, and the queue
 * `consumer --alerts` reads. Service stacks take what they need from its public properties.
 *
 * Removal: the tables and buckets holding data are RETAINed unless `destroyData`; the rest (streams, bus, archive,
 * registry, Glue catalog entries, workgroup, queues, Athena results, log groups) always goes with the stack.
 */
export class WildRydesStatefulStack extends Stack {
  readonly telemetryStream: kinesis.Stream;
  readonly summaryStream: kinesis.Stream;
  readonly eventBus: events.EventBus;
  readonly healthTable: dynamodb.TableV2;
  readonly summaryTable: dynamodb.TableV2;
  readonly dataBucket: s3.Bucket;
  /** Server access logs of every bucket; service stacks log their buckets here too. */
  readonly accessLogBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly alertQueue: sqs.Queue;
  readonly alertDeadLetterQueue: sqs.Queue;
  /** The rule that sends `unicorn-alert` to `alertQueue`. */
  readonly alertQueueRule: events.Rule;
  /** Every alarm of the stage notifies this topic (encrypted with a key CloudWatch may use). */
  readonly alarmTopic: sns.Topic;
  readonly stage: string;
  readonly names: ResourceNames;
  readonly glueDatabaseName: string;
  readonly athenaWorkgroupName: string;

  constructor(scope: Construct, id: string, props: WildRydesStatefulStackProps) {
    super(scope, id, props);
    this.stage = props.stage ?? DEFAULT_STAGE;
    const names = (this.names = resourceNames(this.stage));
    const staged = (name: string) => stagedName(name, this.stage);
    this.glueDatabaseName = names.athenaDatabase;
    this.athenaWorkgroupName = names.athenaWorkgroup;
    const destroyData = props.destroyData ?? false;
    const dataRemoval = destroyData ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    // --- Kinesis -------------------------------------------------------------------------------------------------
    const retentionPeriod = props.streamRetention ?? Duration.hours(24);
    this.telemetryStream = this.stream('TelemetryStream', names.telemetryStream, props.telemetryStreamCapacity ?? { mode: 'on-demand' }, retentionPeriod);
    this.summaryStream = this.stream('SummaryStream', names.summaryStream, props.summaryStreamCapacity ?? { mode: 'provisioned', shards: 1 }, retentionPeriod);

    // --- DynamoDB ------------------------------------------------------------------------------------------------
    this.healthTable = this.table('HealthTable', names.healthTable, TABLE_KEYS.UnicornHealth, destroyData);
    this.summaryTable = this.table('SummaryTable', names.summaryTable, TABLE_KEYS.UnicornSensorData, destroyData);

    // --- S3 ------------------------------------------------------------------------------------------------------
    const secureBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    } as const;

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      ...secureBucket,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: dataRemoval,
      autoDeleteObjects: destroyData,
    });

    // Versioned: the raw archive is the system of record ("forever"). Archive keys are deterministic, so a retried
    // write overwrites its own object; the noncurrent version that leaves behind expires after 30 days.
    this.dataBucket = new s3.Bucket(this, 'DataBucket', {
      ...secureBucket,
      bucketName: `${names.dataBucket}-${this.account}-${this.region}`,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        {
          id: 'raw-to-intelligent-tiering',
          prefix: 'raw/',
          transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: props.rawTieringAfter ?? Duration.days(30) }],
        },
        { id: 'expire-rejected', prefix: 'rejected/', expiration: props.rejectedExpiration ?? Duration.days(90) },
        {
          id: 'tidy-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: dataRemoval,
      autoDeleteObjects: destroyData,
    });

    // Athena results are scratch data: always deleted with the stack (the workshop's clean-up forgot them).
    this.athenaResultsBucket = new s3.Bucket(this, 'AthenaResultsBucket', {
      ...secureBucket,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [{
        id: 'expire-query-results',
        expiration: props.athenaResultsExpiration ?? Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // --- Glue + Athena -------------------------------------------------------------------------------------------
    const database = new glue.CfnDatabase(this, 'GlueDatabase', {
      catalogId: this.account,
      databaseInput: { name: this.glueDatabaseName, description: 'Wild Rydes telemetry archive (raw readings and alerts in the data bucket).' },
    });
    const projectionStartDate = props.projectionStartDate ?? '2026-01-01';
    for (const table of props.catalog.tables) {
      this.glueTable(table, projectionStartDate).node.addDependency(database);
    }

    const bytesScannedCutoffPerQuery = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF;
    if (!Number.isInteger(bytesScannedCutoffPerQuery) || bytesScannedCutoffPerQuery < ATHENA_MIN_BYTES_SCANNED_CUTOFF) {
      throw new RangeError(`bytesScannedCutoffPerQuery must be an integer of at least ${ATHENA_MIN_BYTES_SCANNED_CUTOFF}, got ${bytesScannedCutoffPerQuery}`);
    }
    const workgroup = new athena.CfnWorkGroup(this, 'AthenaWorkgroup', {
      name: this.athenaWorkgroupName,
      description: 'Wild Rydes ad-hoc SQL over the archive; enforced settings and a per-query scan cutoff.',
      state: 'ENABLED',
      // Deleting the stack deletes the workgroup with its saved queries and history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.athenaResultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: this.account,
        },
      },
    });
    for (const query of props.catalog.queries) {
      const namedQuery = new athena.CfnNamedQuery(this, `NamedQuery-${query.name}`, {
        name: query.name,
        description: query.description,
        database: this.glueDatabaseName,
        workGroup: workgroup.ref,
        queryString: query.sql,
      });
      namedQuery.node.addDependency(database);
    }

    // --- EventBridge ---------------------------------------------------------------------------------------------
    this.eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: names.eventBus,
      description: 'Wild Rydes fleet events (unicorn-alert from wildrydes.health).',
    });
    // A replay buffer, not the record: the archival service, through its own rule, archives every alert under alerts/.
    this.eventBus.archive('EventArchive', {
      archiveName: `${names.eventBus}-events`,
      description: 'Every event on the wildrydes bus, for replay.',
      eventPattern: { account: [this.account] },
      retention: props.eventArchiveRetention ?? Duration.days(30),
    });
    const registry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
      registryName: names.eventBus,
      description: 'Contracts of the events on the wildrydes bus.',
    });
    new eventschemas.CfnSchema(this, 'UnicornAlertSchema', {
      registryName: registry.attrRegistryName,
      schemaName: `${UNICORN_ALERT.source}@${UNICORN_ALERT.detailType}`,
      type: 'JSONSchemaDraft4',
      description: `The ${UNICORN_ALERT.detailType} event, detail schemaVersion ${UNICORN_ALERT.schemaVersion}.`,
      content: JSON.stringify(JSON.parse(unicornAlertSchemaText())),
    });

    // --- Alert queue for `consumer --alerts` ---------------------------------------------------------------------
    this.alertDeadLetterQueue = new sqs.Queue(this, 'AlertDeadLetterQueue', {
      queueName: `${staged(ALERT_QUEUE_NAME)}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.alertQueue = new sqs.Queue(this, 'AlertQueue', {
      queueName: staged(ALERT_QUEUE_NAME),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.alertDeadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.alertQueueRule = new events.Rule(this, 'UnicornAlertsToQueue', {
      ruleName: `${staged(ALERT_QUEUE_NAME)}-to-queue`,
      description: 'unicorn-alert events to the queue consumer --alerts reads.',
      eventBus: this.eventBus,
      eventPattern: { source: [UNICORN_ALERT.source], detailType: [UNICORN_ALERT.detailType] },
      // Events EventBridge cannot deliver (after its retries) land in the same dead-letter queue.
      targets: [new eventsTargets.SqsQueue(this.alertQueue, { deadLetterQueue: this.alertDeadLetterQueue })],
    });

    this.ownCustomResourceLogGroups();

    // --- Alarms --------------------------------------------------------------------------------------------------
    this.alarmTopic = this.alarmTopicFor(staged(ALARM_TOPIC_NAME), props.alarmEmail);
    const alarms = new AlarmFactory(this, 'Alarms', { stage: this.stage, prefix: 'wildrydes', topic: this.alarmTopic });
    alarms.queueNotEmpty(this.alertDeadLetterQueue, 'alert-dlq', 'unicorn-alert events EventBridge could not deliver to the alert queue, or that failed 5 receives');
    alarms.ruleFailedInvocations(this.alertQueueRule, 'alert-queue-rule', 'unicorn-alert events the rule could not deliver to the alert queue');

    for (const [name, value, description] of [
      ['TelemetryStreamName', this.telemetryStream.streamName, 'Kinesis stream the producer writes to'],
      ['SummaryStreamName', this.summaryStream.streamName, 'Kinesis stream of minute summaries'],
      ['EventBusName', this.eventBus.eventBusName, 'EventBridge bus carrying unicorn-alert'],
      ['DataBucketName', this.dataBucket.bucketName, 'Archive bucket (raw/, rejected/, alerts/)'],
      ['AthenaWorkgroupName', workgroup.ref, 'Athena workgroup for the archive'],
      ['AlertQueueUrl', this.alertQueue.queueUrl, 'SQS queue for consumer --alerts'],
      ['AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic every alarm of this stage notifies'],
    ] as const) {
      new CfnOutput(this, name, { value, description });
    }
  }

  /**
   * The stage's alarm topic. SSE needs a customer key: CloudWatch cannot publish to a topic encrypted with the
   * AWS-managed SNS key (its policy cannot grant CloudWatch), and would fail silently. The topic policy allows
   * CloudWatch alarms of this account only, over TLS.
   */
  private alarmTopicFor(topicName: string, email: string | undefined): sns.Topic {
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Encrypts ${topicName}; CloudWatch alarms may use it to publish`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [cloudwatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    const topic = new sns.Topic(this, 'AlarmTopic', {
      topicName,
      displayName: `Wild Rydes alarms (${this.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [cloudwatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));
    if (email !== undefined) topic.addSubscription(new snsSubscriptions.EmailSubscription(email));
    return topic;
  }

  private stream(id: string, streamName: string, capacity: StreamCapacity, retentionPeriod: Duration): kinesis.Stream {
    if (capacity.mode === 'provisioned' && (!Number.isInteger(capacity.shards) || capacity.shards < 1)) {
      throw new RangeError(`${streamName}: shards must be a positive integer, got ${capacity.shards}`);
    }
    // A stream is a 24-hour buffer, not a store of record, and costs by the hour: it always goes with the stack.
    return new kinesis.Stream(this, id, {
      streamName,
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod,
      ...(capacity.mode === 'on-demand'
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: capacity.shards }),
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  private table(id: string, tableName: string, keys: { readonly partitionKey: string; readonly sortKey?: string }, destroyData: boolean): dynamodb.TableV2 {
    return new dynamodb.TableV2(this, id, {
      tableName,
      partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(keys.sortKey === undefined ? {} : { sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING } }),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !destroyData,
      removalPolicy: destroyData ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }

  private glueTable(table: ArchiveTable, projectionStartDate: string): glue.CfnTable {
    const root = `s3://${this.dataBucket.bucketName}/${table.prefix}/`;
    return new glue.CfnTable(this, `GlueTable-${table.table}`, {
      catalogId: this.account,
      databaseName: this.glueDatabaseName,
      tableInput: {
        name: table.table,
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', classification: 'json', ...partitionProjection(table, projectionStartDate, root) },
        partitionKeys: table.partitions.map((name) => ({ name, type: 'string' })),
        storageDescriptor: {
          location: root,
          columns: table.columns.map((c) => ({ name: c.name, type: c.athenaType })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
  }

  /**
   * The only Lambda in this stack is CDK's auto-delete-objects provider. Lambda would create its log group on first
   * run and nothing would ever delete it; so the stack creates that group itself (short retention, DESTROY), and the
   * custom resources depend on it, so it exists before the first run and is deleted after the last.
   */
  private ownCustomResourceLogGroups(): void {
    const all = this.node.findAll();
    const functions = all.filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function');
    const customResources = all.filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType.startsWith('Custom::'));
    for (const fn of functions) {
      const provider: IConstruct = fn.node.scope ?? fn;
      const logGroup = new logs.LogGroup(provider, 'LogGroup', {
        logGroupName: Fn.join('', ['/aws/lambda/', fn.ref]),
        retention: logs.RetentionDays.ONE_WEEK,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const resource of customResources) resource.node.addDependency(logGroup);
    }
  }
}
