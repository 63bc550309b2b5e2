import { CreateEventBusCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { RESOURCE_NAMES, TABLE_KEYS, type ResourceNames } from '@wildrydes/domain';
import { ResourceProvisioningTimeoutError } from './local-runtime.errors';

/** The domain's names by default; tests pass their own so runs never share resources. */
export type ProvisionedResourceNames = {
  readonly [K in 'telemetryStream' | 'summaryStream' | 'healthTable' | 'summaryTable' | 'dataBucket']: ResourceNames[K] | string;
} & { readonly eventBus?: string };

export interface ProvisionOptions {
  /** Shards of the telemetry stream. Default 2. */
  readonly telemetryShardCount?: number;
  /** Shards of the summary stream. Default 1. */
  readonly summaryShardCount?: number;
  /** How long to wait for streams and tables to become ACTIVE. Default 60 s (real AWS takes ~30 s). */
  readonly activeTimeoutMs?: number;
}

export interface ProvisionReport {
  /** Resources this call created. */
  readonly created: readonly string[];
  /** Resources that were already there and were left as they are. */
  readonly existing: readonly string[];
}

type ProvisionClients = { readonly kinesis: KinesisClient; readonly dynamodb: DynamoDBClient; readonly s3: S3Client; readonly eventBridge?: EventBridgeClient };
type Outcome = 'created' | 'existing';

/**
 * Creates the streams, tables and data bucket, idempotently: what already exists is kept, never replaced.
 * On AWS the CDK stateful stack owns these; this is for the local stack and for a bare test account.
 * The EventBridge bus is created when an EventBridge client is given.
 */
export async function provisionResources(
  clients: ProvisionClients,
  names: ProvisionedResourceNames = RESOURCE_NAMES,
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  const timeoutMs = options.activeTimeoutMs ?? 60_000;
  const tasks: ReadonlyArray<readonly [string, Promise<Outcome>]> = [
    [`stream ${names.telemetryStream}`, ensureStream(clients.kinesis, names.telemetryStream, options.telemetryShardCount ?? 2, timeoutMs)],
    [`stream ${names.summaryStream}`, ensureStream(clients.kinesis, names.summaryStream, options.summaryShardCount ?? 1, timeoutMs)],
    [
      `table ${names.healthTable}`,
      ensureTable(clients.dynamodb, names.healthTable, TABLE_KEYS.UnicornHealth.partitionKey, undefined, timeoutMs),
    ],
    [
      `table ${names.summaryTable}`,
      ensureTable(
        clients.dynamodb,
        names.summaryTable,
        TABLE_KEYS.UnicornSensorData.partitionKey,
        TABLE_KEYS.UnicornSensorData.sortKey,
        timeoutMs,
      ),
    ],
    [`bucket ${names.dataBucket}`, ensureBucket(clients.s3, names.dataBucket)],
    ...(clients.eventBridge !== undefined && names.eventBus !== undefined
      ? [[`bus ${names.eventBus}`, ensureBus(clients.eventBridge, names.eventBus)] as const]
      : []),
  ];
  const results = await Promise.allSettled(tasks.map(([, task]) => task));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  const outcomes = tasks.map(([resource], i) => [resource, (results[i] as PromiseFulfilledResult<Outcome>).value] as const);
  return {
    created: outcomes.filter(([, o]) => o === 'created').map(([r]) => r),
    existing: outcomes.filter(([, o]) => o === 'existing').map(([r]) => r),
  };
}

async function ensureStream(kinesis: KinesisClient, name: string, shardCount: number, timeoutMs: number): Promise<Outcome> {
  const outcome = await createOrKeep(
    () => kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount })),
    ['ResourceInUseException'],
  );
  await waitUntilActive(`stream ${name}`, timeoutMs, async () => {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    return StreamDescriptionSummary?.StreamStatus;
  });
  return outcome;
}

async function ensureTable(
  dynamodb: DynamoDBClient,
  name: string,
  partitionKey: string,
  sortKey: string | undefined,
  timeoutMs: number,
): Promise<Outcome> {
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' },
      ...(sortKey ? [{ AttributeName: sortKey, AttributeType: 'S' as const }] : []),
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
    ],
  };
  const outcome = await createOrKeep(() => dynamodb.send(new CreateTableCommand(input)), ['ResourceInUseException']);
  await waitUntilActive(`table ${name}`, timeoutMs, async () => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return Table?.TableStatus;
  });
  return outcome;
}

async function ensureBucket(s3: S3Client, name: string): Promise<Outcome> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return 'created';
  } catch (error) {
    const errorName = (error as Error).name;
    if (errorName === 'BucketAlreadyOwnedByYou') return 'existing';
    // s3rver answers BucketAlreadyExists for its own buckets; on AWS it means someone else's bucket,
    // so the name is only accepted if we can actually use the bucket.
    if (errorName === 'BucketAlreadyExists') {
      await s3.send(new HeadBucketCommand({ Bucket: name }));
      return 'existing';
    }
    throw error;
  }
}

async function ensureBus(eventBridge: EventBridgeClient, name: string): Promise<Outcome> {
  return createOrKeep(() => eventBridge.send(new CreateEventBusCommand({ Name: name })), ['ResourceAlreadyExistsException']);
}

async function createOrKeep(create: () => Promise<unknown>, alreadyExists: readonly string[]): Promise<Outcome> {
  try {
    await create();
    return 'created';
  } catch (error) {
    if (alreadyExists.includes((error as Error).name)) return 'existing';
    throw error;
  }
}

/** Polls with a growing delay: locally the first check is ACTIVE; on AWS it takes tens of seconds. */
async function waitUntilActive(resource: string, timeoutMs: number, status: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 25;
  let last: string | undefined;
  for (;;) {
    last = await status();
    if (last === 'ACTIVE') return;
    if (Date.now() + delayMs > deadline) throw new ResourceProvisioningTimeoutError(resource, last, timeoutMs);
    await new Promise((resolveDelay) => setTimeout(resolveDelay, delayMs));
    delayMs = Math.min(delayMs * 2, 2_000);
  }
}
