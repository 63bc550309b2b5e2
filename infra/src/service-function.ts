import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** The workspace root: NodejsFunction's `projectRoot`, so entries under `services/` and their workspace imports resolve. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ROOT_LOCK_FILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** The services this app deploys: one project under `services/`, one stack each. */
export type ServiceName = 'ingestion' | 'health' | 'aggregation' | 'archival';

/**
 * The newest Node.js runtime Lambda offers (cdk-nag AwsSolutions-L1 checks exactly that), and the esbuild target that
 * matches it. Change both together.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ESBUILD_TARGET = 'node24';

/** Absolute path of a service's Lambda entry (`services/<service>/src/<file>`). A path, never an import: infra depends on no service. */
export function serviceEntry(service: ServiceName, file: `${string}.lambda.ts`): string {
  return fileURLToPath(new URL(`../../services/${service}/src/${file}`, import.meta.url));
}

export const serviceEntryExists = (service: ServiceName, file: `${string}.lambda.ts`): boolean => existsSync(serviceEntry(service, file));

export interface ServiceFunctionProps {
  readonly service: ServiceName;
  /** The entry file in `services/<service>/src/`, exporting `handler`. */
  readonly entry: `${string}.lambda.ts`;
  readonly description: string;
  /** Default 512 MB (Lambda's CPU share grows with memory; arm64 GB-seconds are the cheaper ones). */
  readonly memorySize?: number;
  /** Default 60 s. */
  readonly timeout?: Duration;
  /** Default two weeks. */
  readonly logRetention?: logs.RetentionDays;
  /** Settings of the function that no resource carries; resource names are set by the `use*` helpers. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A service's Lambda function with this product's defaults: arm64, the newest Node.js runtime, an ESM bundle built by
 * the workspace's own esbuild (never Docker), minified with source maps, Powertools settings, and
 *
 * - its own **log group** (retention set, deleted with the stack): the workshop's clean-up left Lambda's
 *   auto-created groups behind forever;
 * - its own **role** with no managed policy: it may write to that log group and nothing else until a `use*` helper
 *   or an event source grants more (so no AWSLambdaBasicExecutionRole and its `*` log resources).
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly service: ServiceName;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.service = props.service;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Lambda execution role)`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: serviceEntry(props.service, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      projectRoot: REPO_ROOT,
      depsLockFilePath: ROOT_LOCK_FILE,
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // The map keeps names and lines, not the sources: smaller assets, same stack traces.
        sourcesContent: false,
        // @aws-sdk/* and @smithy/* stay out of the bundle (the runtime provides them). Local-only code (DuckDB, the
        // stand-ins) is tree-shaken away because @wildrydes/adapters declares "sideEffects": false; DuckDB is also
        // external so esbuild does not try to resolve its native bindings first. The bundle test proves no import remains.
        externalModules: ['@aws-sdk/*', '@smithy/*', '@duckdb/*'],
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_SERVICE_NAME: `wildrydes-${props.service}`,
        POWERTOOLS_METRICS_NAMESPACE: 'WildRydes',
        ...props.environment,
      },
    });
  }
}

// --- Grants that set the environment in the same call ----------------------------------------------------------------
// Each helper adds ONE statement scoped to ONE resource (or key prefixes of one bucket) with exactly the actions
// named, and the environment variable the service reads that resource's name from. A function can never get a
// grant without knowing where the resource is, nor a name it has no permission to use.

export type DynamoDbAction =
  | 'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:Query' | 'dynamodb:Scan'
  | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:BatchWriteItem';
export type KinesisWriteAction = 'kinesis:PutRecord' | 'kinesis:PutRecords';
/** Reads outside an event source mapping (the silence scan's look at one shard). */
export type KinesisReadAction = 'kinesis:GetShardIterator' | 'kinesis:GetRecords';
export type EventBridgeAction = 'events:PutEvents';
export type S3ObjectAction = 's3:GetObject' | 's3:PutObject';

function grant(fn: ServiceFunction, actions: readonly string[], resources: readonly string[]): void {
  if (actions.length === 0) throw new Error(`${fn.node.path}: a grant needs at least one action`);
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [...resources] }));
}

/** Item actions on one table (the table itself, not its indexes) and its name in `env`. */
export function useTable(fn: ServiceFunction, table: dynamodb.ITableV2, env: string, actions: readonly DynamoDbAction[]): void {
  grant(fn, actions, [table.tableArn]);
  fn.function.addEnvironment(env, table.tableName);
}

/** Writes to (or direct reads of) one stream and its name in `env`. (A mapping's reading is its own grant: `kinesis-mapping.ts`.) */
export function useStream(fn: ServiceFunction, stream: kinesis.IStream, env: string, actions: readonly (KinesisWriteAction | KinesisReadAction)[]): void {
  grant(fn, actions, [stream.streamArn]);
  fn.function.addEnvironment(env, stream.streamName);
}

/** PutEvents on one bus and its name in `env`. */
export function useEventBus(fn: ServiceFunction, bus: events.IEventBus, env: string, actions: readonly EventBridgeAction[]): void {
  grant(fn, actions, [bus.eventBusArn]);
  fn.function.addEnvironment(env, bus.eventBusName);
}

export interface BucketGrant {
  readonly actions: readonly S3ObjectAction[];
  /** Key prefixes such as `raw/`; the statement covers `<bucket ARN>/<prefix>*` for each. */
  readonly prefixes: readonly `${string}/`[];
}

/**
 * Object actions under the given key prefixes of one bucket, and its name in `env`. One statement per grant. The
 * resources end in `*` because S3 object permissions are granted on key patterns; each is confined to one prefix.
 */
export function useBucket(fn: ServiceFunction, bucket: s3.IBucket, env: string, grants: readonly BucketGrant[]): void {
  if (grants.length === 0) throw new Error(`${fn.node.path}: useBucket needs at least one grant`);
  for (const { actions, prefixes } of grants) {
    if (prefixes.length === 0) throw new Error(`${fn.node.path}: a bucket grant needs at least one key prefix`);
    grant(fn, actions, prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)));
    NagSuppressions.addResourceSuppressions(fn.role, [{
      id: 'AwsSolutions-IAM5',
      reason: `S3 object permissions are granted on key patterns: ${actions.join(', ')} only under ${prefixes.join(', ')} of the one bucket ${env} names.`,
      appliesTo: prefixes.map((prefix) => ({ regex: `/^Resource::.*\\/${escapeRegExp(prefix)}\\*$/` })),
    }], true);
  }
  fn.function.addEnvironment(env, bucket.bucketName);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
