import { readFileSync } from 'node:fs';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { WildRydesStatefulStack, type WildRydesStatefulStackProps } from './stateful-stack';
import { WORKSHOP_ARCHIVE_CATALOG } from './workshop-catalog';

// The same context `cdk synth` uses (feature flags from cdk.json), with asset bundling skipped.
const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const domainAlertSchema: unknown = JSON.parse(
  readFileSync(new URL('../../domain/src/alert/unicorn-alert.schema.json', import.meta.url), 'utf8'),
);

interface Synthesized {
  readonly stack: WildRydesStatefulStack;
  readonly template: Template;
}

function synth(props: Partial<WildRydesStatefulStackProps> = {}): Synthesized {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  Aspects.of(app).add(new AwsSolutionsChecks());
  const stack = new WildRydesStatefulStack(app, 'WildRydesStateful', { catalog: WORKSHOP_ARCHIVE_CATALOG, ...props });
  return { stack, template: Template.fromStack(stack) };
}

type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] }>;

const only = (template: Template, type: string, props?: Record<string, unknown>) => {
  const found = Object.entries(template.findResources(type, props === undefined ? undefined : { Properties: props }) as CfnResources);
  expect(found).toHaveLength(1);
  const [logicalId, resource] = found[0]!;
  return { logicalId, resource, properties: resource.Properties ?? {} };
};

const logicalIdOf = (stack: WildRydesStatefulStack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** Types whose data survives `cdk destroy` unless destroyData is set. */
const RETAINED_BY_DEFAULT = ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket'];

describe('WildRydesStatefulStack', () => {
  let retained: Synthesized;
  let destroyed: Synthesized;

  beforeAll(() => {
    retained = synth();
    destroyed = synth({ destroyData: true });
  });

  describe('Kinesis streams', () => {
    it.each([
      ['wildrydes', { StreamMode: 'ON_DEMAND' }, undefined],
      ['wildrydes-summary', { StreamMode: 'PROVISIONED' }, 1],
    ])('%s is KMS-encrypted with the AWS-managed key, keeps 24 h and has its default capacity', (name, mode, shards) => {
      const { properties } = only(retained.template, 'AWS::Kinesis::Stream', { Name: name });
      expect(properties['StreamEncryption']).toEqual({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
      expect(properties['RetentionPeriodHours']).toBe(24);
      expect(properties['StreamModeDetails']).toEqual(mode);
      expect(properties['ShardCount']).toBe(shards);
    });

    it('takes the capacity and retention as props', () => {
      const { template } = synth({
        telemetryStreamCapacity: { mode: 'provisioned', shards: 4 },
        summaryStreamCapacity: { mode: 'on-demand' },
        streamRetention: Duration.hours(48),
      });
      template.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'wildrydes', StreamModeDetails: { StreamMode: 'PROVISIONED' }, ShardCount: 4, RetentionPeriodHours: 48 });
      const summary = only(template, 'AWS::Kinesis::Stream', { Name: 'wildrydes-summary' }).properties;
      expect(summary['StreamModeDetails']).toEqual({ StreamMode: 'ON_DEMAND' });
      expect(summary['ShardCount']).toBeUndefined();
    });

    it.each([0, -1, 1.5])('rejects %s shards', (shards) => {
      expect(() => synth({ telemetryStreamCapacity: { mode: 'provisioned', shards } })).toThrow(/shards must be a positive integer/);
    });
  });

  describe('DynamoDB tables', () => {
    it.each([
      ['UnicornHealth', [{ AttributeName: 'Name', KeyType: 'HASH' }], [{ AttributeName: 'Name', AttributeType: 'S' }]],
      [
        'UnicornSensorData',
        [{ AttributeName: 'Name', KeyType: 'HASH' }, { AttributeName: 'StatusTime', KeyType: 'RANGE' }],
        [{ AttributeName: 'Name', AttributeType: 'S' }, { AttributeName: 'StatusTime', AttributeType: 'S' }],
      ],
    ])('%s: keys, on-demand, PITR, KMS encryption', (name, keySchema, attributes) => {
      const { properties } = only(retained.template, 'AWS::DynamoDB::GlobalTable', { TableName: name });
      expect(properties['KeySchema']).toEqual(keySchema);
      expect(properties['AttributeDefinitions']).toEqual(attributes);
      expect(properties['BillingMode']).toBe('PAY_PER_REQUEST');
      expect(properties['SSESpecification']).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(properties['Replicas']).toEqual([expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })]);
    });

    it.each(['UnicornHealth', 'UnicornSensorData'])('%s is retained and deletion-protected by default, deleted with destroyData', (name) => {
      const kept = only(retained.template, 'AWS::DynamoDB::GlobalTable', { TableName: name });
      expect([kept.resource.DeletionPolicy, kept.resource.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      expect(kept.properties['Replicas']).toEqual([expect.objectContaining({ DeletionProtectionEnabled: true })]);

      const gone = only(destroyed.template, 'AWS::DynamoDB::GlobalTable', { TableName: name });
      expect(gone.resource.DeletionPolicy).toBe('Delete');
      expect(gone.properties['Replicas']).toEqual([expect.objectContaining({ DeletionProtectionEnabled: false })]);
    });
  });

  describe('S3 buckets', () => {
    const secureBucket = {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    };

    it('every bucket blocks public access, is encrypted and denies requests without TLS 1.2', () => {
      const { stack, template } = retained;
      const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
      expect(buckets).toHaveLength(3);
      for (const bucket of [stack.dataBucket, stack.accessLogBucket, stack.athenaResultsBucket]) {
        const logicalId = logicalIdOf(stack, bucket);
        expect(template.toJSON()['Resources'][logicalId]['Properties']).toMatchObject(secureBucket);
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: logicalId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
            ]),
          },
        });
      }
    });

    it('the data bucket is versioned, logs to the access-log bucket and ages raw/ and rejected/', () => {
      const { stack, template } = retained;
      const data = template.toJSON()['Resources'][logicalIdOf(stack, stack.dataBucket)]['Properties'];
      expect(data['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
      expect(data['LoggingConfiguration']).toEqual({ DestinationBucketName: { Ref: logicalIdOf(stack, stack.accessLogBucket) }, LogFilePrefix: 'data-bucket/' });
      expect(data['LifecycleConfiguration']['Rules']).toEqual([
        { Id: 'raw-to-intelligent-tiering', Prefix: 'raw/', Status: 'Enabled', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] },
        { Id: 'expire-rejected', Prefix: 'rejected/', Status: 'Enabled', ExpirationInDays: 90 },
        {
          Id: 'tidy-versions-and-uploads',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          ExpiredObjectDeleteMarker: true,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ]);
    });

    it('the lifecycle periods are props', () => {
      const { stack, template } = synth({ rawTieringAfter: Duration.days(5), rejectedExpiration: Duration.days(10), athenaResultsExpiration: Duration.days(2) });
      const resources = template.toJSON()['Resources'];
      const dataRules = resources[logicalIdOf(stack, stack.dataBucket)]['Properties']['LifecycleConfiguration']['Rules'];
      expect(dataRules[0]['Transitions']).toEqual([{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 5 }]);
      expect(dataRules[1]['ExpirationInDays']).toBe(10);
      expect(resources[logicalIdOf(stack, stack.athenaResultsBucket)]['Properties']['LifecycleConfiguration']['Rules'][0]['ExpirationInDays']).toBe(2);
    });

    it('Athena results expire after 7 days and are always deleted (emptied first) with the stack', () => {
      for (const { stack, template } of [retained, destroyed]) {
        const logicalId = logicalIdOf(stack, stack.athenaResultsBucket);
        const results = template.toJSON()['Resources'][logicalId];
        expect(results['DeletionPolicy']).toBe('Delete');
        expect(results['Properties']['LifecycleConfiguration']['Rules']).toEqual([
          { Id: 'expire-query-results', Status: 'Enabled', ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
        ]);
        template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: logicalId } });
      }
    });

    it('the data and access-log buckets are retained by default and emptied and deleted with destroyData', () => {
      for (const bucket of ['dataBucket', 'accessLogBucket'] as const) {
        const kept = retained.template.toJSON()['Resources'][logicalIdOf(retained.stack, retained.stack[bucket])];
        expect(kept['DeletionPolicy']).toBe('Retain');
        expect(retained.template.findResources('Custom::S3AutoDeleteObjects', {
          Properties: { BucketName: { Ref: logicalIdOf(retained.stack, retained.stack[bucket]) } },
        })).toEqual({});

        const logicalId = logicalIdOf(destroyed.stack, destroyed.stack[bucket]);
        expect(destroyed.template.toJSON()['Resources'][logicalId]['DeletionPolicy']).toBe('Delete');
        destroyed.template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: logicalId } });
      }
    });
  });

  describe('removal', () => {
    it('by default only the tables and buckets holding data are retained', () => {
      const retainedTypes = Object.values(retained.template.toJSON()['Resources'] as CfnResources)
        .filter((r) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
        .map((r) => r.Type);
      expect(retainedTypes.sort()).toEqual(['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::S3::Bucket']);
      expect(RETAINED_BY_DEFAULT).toEqual(expect.arrayContaining([...new Set(retainedTypes)]));
    });

    it('with destroyData nothing is retained', () => {
      const kept = Object.entries(destroyed.template.toJSON()['Resources'] as CfnResources)
        .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'Snapshot' || r.UpdateReplacePolicy === 'Retain');
      expect(kept).toEqual([]);
    });

    it("every Lambda function (CDK's auto-delete provider) has a log group that is deleted with the stack and exists before any custom resource runs", () => {
      for (const { template } of [retained, destroyed]) {
        const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
        expect(functions).toHaveLength(1);
        const logGroups = template.findResources('AWS::Logs::LogGroup') as CfnResources;
        for (const fn of functions) {
          const owned = Object.entries(logGroups).filter(([, g]) => JSON.stringify(g.Properties?.['LogGroupName']) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: fn }]] }));
          expect(owned).toHaveLength(1);
          const [logGroupId, logGroup] = owned[0]!;
          expect(logGroup.DeletionPolicy).toBe('Delete');
          expect(logGroup.Properties?.['RetentionInDays']).toBe(7);
          for (const custom of Object.values(template.findResources('Custom::S3AutoDeleteObjects') as CfnResources)) {
            expect(custom.DependsOn).toContain(logGroupId);
          }
        }
      }
    });
  });

  describe('Glue tables', () => {
    const formats = {
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
    };
    const dtProjection = {
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2026-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    };

    it('the database is `wildrydes`', () => {
      retained.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'wildrydes' } });
    });

    it.each([
      [
        'wildrydes',
        'raw',
        ['dt', 'hour'],
        { ...dtProjection, 'projection.hour.type': 'integer', 'projection.hour.range': '0,23', 'projection.hour.digits': '2' },
        'dt=${dt}/hour=${hour}/',
      ],
      ['unicorn_alerts', 'alerts', ['dt'], dtProjection, 'dt=${dt}/'],
    ])('%s: JSON SerDe over %s/, partitions projected as athena-table.sql.ts does', (name, prefix, partitions, projection, template) => {
      const { stack } = retained;
      const table = only(retained.template, 'AWS::Glue::Table', { TableInput: Match.objectLike({ Name: name }) });
      const input = table.properties['TableInput'] as Record<string, Record<string, unknown>>;
      const spec = WORKSHOP_ARCHIVE_CATALOG.tables.find((t) => t.table === name)!;

      expect(table.properties['DatabaseName']).toBe('wildrydes');
      expect(table.resource.DependsOn).toContain('GlueDatabase');
      expect(input['TableType']).toBe('EXTERNAL_TABLE');
      expect(input['PartitionKeys']).toEqual(partitions.map((p) => ({ Name: p, Type: 'string' })));
      expect(input['StorageDescriptor']).toEqual({
        ...formats,
        Location: stack.resolve(`s3://${stack.dataBucket.bucketName}/${prefix}/`),
        Columns: spec.columns.map((c) => ({ Name: c.name, Type: c.athenaType })),
      });
      expect(input['Parameters']).toEqual({
        EXTERNAL: 'TRUE',
        classification: 'json',
        'projection.enabled': 'true',
        ...projection,
        'storage.location.template': stack.resolve(`s3://${stack.dataBucket.bucketName}/${prefix}/${template}`),
      });
    });

    it('readings have the archive columns with DOUBLE coordinates and a timestamp StatusTime', () => {
      const table = only(retained.template, 'AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'wildrydes' }) });
      const columns = (table.properties['TableInput'] as { StorageDescriptor: { Columns: unknown } }).StorageDescriptor.Columns;
      expect(columns).toEqual([
        { Name: 'name', Type: 'string' },
        { Name: 'statustime', Type: 'timestamp' },
        { Name: 'latitude', Type: 'double' },
        { Name: 'longitude', Type: 'double' },
        { Name: 'distance', Type: 'double' },
        { Name: 'magicpoints', Type: 'int' },
        { Name: 'healthpoints', Type: 'int' },
      ]);
    });

    it('the projection start date is a prop', () => {
      synth({ projectionStartDate: '2025-06-01' }).template.hasResourceProperties('AWS::Glue::Table', {
        TableInput: Match.objectLike({ Name: 'wildrydes', Parameters: Match.objectLike({ 'projection.dt.range': '2025-06-01,NOW' }) }),
      });
    });
  });

  describe('Athena', () => {
    it('the workgroup enforces its configuration, encrypts results in the results bucket and cuts queries off at 1 GiB', () => {
      const { stack, template } = retained;
      const { properties } = only(template, 'AWS::Athena::WorkGroup');
      expect(properties['Name']).toBe('wildrydes');
      expect(properties['RecursiveDeleteOption']).toBe(true);
      expect(properties['WorkGroupConfiguration']).toMatchObject({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: stack.resolve(`s3://${stack.athenaResultsBucket.bucketName}/results/`),
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      });
    });

    it('the bytes-scanned cutoff is a prop, and below Athena’s 10 MB minimum it is refused', () => {
      synth({ bytesScannedCutoffPerQuery: 50_000_000 }).template.hasResourceProperties('AWS::Athena::WorkGroup', {
        WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 50_000_000 }),
      });
      expect(() => synth({ bytesScannedCutoffPerQuery: 9_999_999 })).toThrow(/at least 10000000/);
    });

    it('the four workshop queries are saved in the workgroup against the wildrydes database', () => {
      const queries = Object.values(retained.template.findResources('AWS::Athena::NamedQuery') as CfnResources).map((q) => q.Properties);
      expect(queries.map((q) => q?.['Name'])).toEqual(['total-distance', 'after', 'trip', 'low-vitals']);
      for (const spec of WORKSHOP_ARCHIVE_CATALOG.queries) {
        expect(queries).toContainEqual({
          Name: spec.name,
          Description: spec.description,
          Database: 'wildrydes',
          WorkGroup: { Ref: 'AthenaWorkgroup' },
          QueryString: spec.sql,
        });
      }
    });
  });

  describe('EventBridge', () => {
    it('the bus `wildrydes` archives its events for 30 days', () => {
      const bus = only(retained.template, 'AWS::Events::EventBus', { Name: 'wildrydes' });
      retained.template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [bus.logicalId, 'Arn'] },
        RetentionDays: 30,
        EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
      });
      synth({ eventArchiveRetention: Duration.days(7) }).template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 7 });
    });

    it('the schema registry holds the domain’s unicorn-alert schema, unchanged', () => {
      const registry = only(retained.template, 'AWS::EventSchemas::Registry', { RegistryName: 'wildrydes' });
      const { properties } = only(retained.template, 'AWS::EventSchemas::Schema');
      expect(properties['SchemaName']).toBe('wildrydes.health@unicorn-alert');
      expect(properties['Type']).toBe('JSONSchemaDraft4');
      expect(properties['RegistryName']).toEqual({ 'Fn::GetAtt': [registry.logicalId, 'RegistryName'] });
      expect(JSON.parse(properties['Content'] as string)).toEqual(domainAlertSchema);
    });
  });

  describe('alert queue', () => {
    it('a rule on the bus sends exactly source wildrydes.health / detail-type unicorn-alert to the queue', () => {
      const { stack, template } = retained;
      const rule = only(template, 'AWS::Events::Rule').properties;
      expect(rule['EventBusName']).toEqual({ Ref: logicalIdOf(stack, stack.eventBus) });
      expect(rule['EventPattern']).toEqual({ source: ['wildrydes.health'], 'detail-type': ['unicorn-alert'] });
      expect(rule['Targets']).toEqual([{
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.alertQueue), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.alertDeadLetterQueue), 'Arn'] } },
      }]);
    });

    it('the queue is encrypted, TLS-only, has a dead-letter queue and only the rule may send to it', () => {
      const { stack, template } = retained;
      const queueId = logicalIdOf(stack, stack.alertQueue);
      const dlqId = logicalIdOf(stack, stack.alertDeadLetterQueue);
      const queues = template.toJSON()['Resources'];
      expect(queues[queueId]['Properties']).toMatchObject({
        QueueName: 'wildrydes-unicorn-alerts',
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      });
      expect(queues[dlqId]['Properties']).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      const ruleArn = { 'Fn::GetAtt': [only(template, 'AWS::Events::Rule').logicalId, 'Arn'] };
      // The rule's target statement on the queue also carries GetQueueAttributes/GetQueueUrl (CDK's SqsQueue target).
      for (const [id, sendMessage] of [[queueId, Match.arrayWith(['sqs:SendMessage'])], [dlqId, 'sqs:SendMessage']] as const) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              Match.objectLike({ Effect: 'Allow', Action: sendMessage, Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } }),
            ]),
          },
        });
      }
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    it.each([
      ['data retained', () => retained],
      ['destroyData', () => destroyed],
    ])('%s: no unsuppressed errors or warnings', (_, get) => {
      const { stack } = get();
      const rule = Match.stringLikeRegexp('AwsSolutions-.*');
      expect(Annotations.fromStack(stack).findError('*', rule)).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', rule)).toEqual([]);
    });

    it('the check is live: an unencrypted queue without TLS or a DLQ makes the synth fail with its findings', () => {
      const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
      Aspects.of(app).add(new AwsSolutionsChecks());
      const stack = new WildRydesStatefulStack(app, 'WildRydesStateful', { catalog: WORKSHOP_ARCHIVE_CATALOG });
      new sqs.Queue(stack, 'Probe', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      // cdk.json's recommended flags turn error annotations into a failed synth, as `cdk synth` does.
      expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SQS2[\s\S]*AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4/);
    });
  });
});
