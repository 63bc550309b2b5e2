import * as dynamodbCommands from '@aws-sdk/client-dynamodb';
import {
  BatchGetItemCommand, BatchWriteItemCommand, ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, DynamoDBServiceException,
  GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import * as eventBridgeCommands from '@aws-sdk/client-eventbridge';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as kinesisCommands from '@aws-sdk/client-kinesis';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import * as s3Commands from '@aws-sdk/client-s3';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as sqsCommands from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand as DocumentQueryCommand } from '@aws-sdk/lib-dynamodb';
import { awsConnection, type SdkClient } from '@wildrydes/adapters/clients';
import { createDynamoDbDocumentClient, dynamoDbItemSize } from '@wildrydes/adapters/dynamodb';
import { createKinesisClient } from '@wildrydes/adapters/kinesis';
import { createS3Client } from '@wildrydes/adapters/s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { provisionResources } from '../runtime/provision-resources';
import { eventually, useLocalRuntime } from '../runtime/local-runtime.test-support';
import { answeredByMock } from './answered-by-mock.test-support';
import { BillingMeter } from './billing-meter';
import { itemSize, readUnits, writeUnits } from './dynamodb-units';
import { emptyDynamoDbTableUsage, emptyKinesisStreamUsage, type DynamoDbTableUsage, type KinesisStreamUsage } from './meter-totals';
import { MeterInputError } from './meter.errors';
import { s3RequestTier } from './service-units';

const TABLE = 'UnicornHealth';
const STREAM = 'wildrydes';
const utf8 = new TextEncoder();

/** A marshalled item of exactly `bytes` bytes as DynamoDB sizes it: `pk` (2 + 1) plus `data` (4 + the rest). */
const itemOfSize = (bytes: number): Record<string, AttributeValue> => ({ pk: { S: 'k' }, data: { S: 'x'.repeat(bytes - 7) } });
const KEY = { pk: { S: 'k' } };
/** An error as the SDK throws it when the service answered with it. */
const answered = <E extends Error>(error: E, httpStatusCode = 400): E => Object.assign(error, { $metadata: { httpStatusCode } });
const conditionFailed = () => answered(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
const tableUsage = (usage: Partial<DynamoDbTableUsage>): DynamoDbTableUsage => ({ ...emptyDynamoDbTableUsage(), ...usage });
const streamUsage = (usage: Partial<KinesisStreamUsage>): KinesisStreamUsage => ({ ...emptyKinesisStreamUsage(), ...usage });

// Twins answer for the metered clients (see answered-by-mock.test-support.ts); the mocks pin what was sent.
const twins = {
  dynamodb: new DynamoDBClient({}), kinesis: new KinesisClient({}), s3: new S3Client({}), eventBridge: new EventBridgeClient({}), sqs: new SQSClient({}),
};
const dynamodb = mockClient(twins.dynamodb);
const kinesis = mockClient(twins.kinesis);
const s3 = mockClient(twins.s3);
const eventBridge = mockClient(twins.eventBridge);
const sqs = mockClient(twins.sqs);

describe('BillingMeter', () => {
  let meter: BillingMeter;

  /** A real SDK client (one attempt, so answered errors are not retried), metered under `label`, answered by `twin`'s mock. */
  function metered<C extends { middlewareStack: unknown }>(client: C, twin: object, commands: object, label: string, documentClient = false): C {
    meter.attach(client as never, label);
    answeredByMock(client, twin as never, commands as Record<string, unknown>, { documentClient });
    return client;
  }
  const meteredDynamoDb = (label = 'health') => metered(new DynamoDBClient({ maxAttempts: 1 }), twins.dynamodb, dynamodbCommands, label);
  const tableOf = (label = 'health', table = TABLE) => meter.snapshot().services[label]?.dynamodb[table];

  beforeEach(() => {
    meter = new BillingMeter();
    for (const mock of [dynamodb, kinesis, s3, eventBridge, sqs]) mock.reset();
  });

  describe('DynamoDB writes', () => {
    it.each([
      { size: 7, units: 1 },
      { size: 1023, units: 1 },
      { size: 1024, units: 1 },
      { size: 1025, units: 2 },
      { size: 2048, units: 2 },
      { size: 2049, units: 3 },
    ])('a PutItem of a $size-byte item costs $units WRU', async ({ size, units }) => {
      // Prepare
      dynamodb.on(PutItemCommand).resolves({});
      const client = meteredDynamoDb();
      const Item = itemOfSize(size);
      expect(itemSize(Item, 'marshalled')).toBe(size);

      // Act
      await client.send(new PutItemCommand({ TableName: TABLE, Item }));

      // Assess
      expect(dynamodb).toHaveReceivedCommandWith(PutItemCommand, { TableName: TABLE, Item });
      expect(tableOf()).toEqual(tableUsage({ requests: 1, writeRequestUnits: units, itemsWritten: 1 }));
    });

    it('bills a failed conditional write for its item, and counts those units apart', async () => {
      // Prepare
      dynamodb.on(PutItemCommand).rejects(conditionFailed());
      const client = meteredDynamoDb();

      // Act
      const put = client.send(new PutItemCommand({ TableName: TABLE, Item: itemOfSize(1500), ConditionExpression: 'attribute_not_exists(pk)' }));

      // Assess
      await expect(put).rejects.toThrow(ConditionalCheckFailedException);
      expect(tableOf()).toEqual(tableUsage({ requests: 1, writeRequestUnits: 2, conditionalCheckFailedWriteUnits: 2 }));
    });

    it('bills nothing but the request for another error, and nothing at all for a call that never reached DynamoDB', async () => {
      // Prepare
      dynamodb.on(PutItemCommand)
        .rejectsOnce(answered(new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'bad', $metadata: {} })))
        .rejectsOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const client = meteredDynamoDb();

      // Act
      await expect(client.send(new PutItemCommand({ TableName: TABLE, Item: itemOfSize(10) }))).rejects.toThrow('bad');
      await expect(client.send(new PutItemCommand({ TableName: TABLE, Item: itemOfSize(10) }))).rejects.toThrow('ECONNREFUSED');

      // Assess
      expect(tableOf()).toEqual(tableUsage({ requests: 1 }));
    });

    it('bills a BatchWriteItem per item, leaving out the unprocessed items it hands back', async () => {
      // Prepare
      const puts = [itemOfSize(1000), itemOfSize(1025), itemOfSize(3000)].map((Item) => ({ PutRequest: { Item } }));
      const RequestItems = { [TABLE]: [...puts, { DeleteRequest: { Key: KEY } }] };
      dynamodb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [TABLE]: [puts[2]!] } });
      const client = meteredDynamoDb();

      // Act
      await client.send(new BatchWriteItemCommand({ RequestItems }));

      // Assess: 1 + 2 (+ 3 handed back) WRU for the puts; the delete shows only its key, so it is estimated.
      expect(tableOf()).toEqual(tableUsage({ requests: 1, writeRequestUnits: 4, estimatedRequestUnits: 1, itemsWritten: 3, unprocessedItems: 1 }));
    });

    it('sizes an UpdateItem by the item it returns, or else by the average item of the table (estimated)', async () => {
      // Prepare
      dynamodb.on(PutItemCommand).resolves({});
      dynamodb.on(UpdateItemCommand, { ReturnValues: 'ALL_NEW' }).resolves({ Attributes: itemOfSize(2500) });
      dynamodb.on(UpdateItemCommand, { ReturnValues: undefined }).resolvesOnce({}).rejectsOnce(conditionFailed());
      const client = meteredDynamoDb();
      const update = { TableName: TABLE, Key: KEY, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'Silent' }, ExpressionAttributeValues: { ':s': { BOOL: true } } };

      // Act
      await client.send(new PutItemCommand({ TableName: TABLE, Item: itemOfSize(3000) }));
      await client.send(new UpdateItemCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      await client.send(new UpdateItemCommand(update));
      await expect(client.send(new UpdateItemCommand({ ...update, ConditionExpression: 'attribute_exists(pk)' }))).rejects.toThrow();

      // Assess: put 3 + returned 3 + estimated at the average of 3,000 and 2,500 bytes 3 + the same on a failed condition 3.
      expect(tableOf()).toEqual(tableUsage({
        requests: 4, writeRequestUnits: 12, conditionalCheckFailedWriteUnits: 3, estimatedRequestUnits: 6, itemsWritten: 3,
      }));
    });

    it('sizes a DeleteItem by the old item it returns, or else by its key on a table it has not seen (estimated)', async () => {
      // Prepare
      dynamodb.on(DeleteItemCommand, { ReturnValues: 'ALL_OLD' }).resolves({ Attributes: itemOfSize(1500) });
      dynamodb.on(DeleteItemCommand, { ReturnValues: undefined }).resolves({});
      const client = meteredDynamoDb();

      // Act
      await client.send(new DeleteItemCommand({ TableName: TABLE, Key: KEY, ReturnValues: 'ALL_OLD' }));
      await client.send(new DeleteItemCommand({ TableName: 'Empty', Key: KEY }));

      // Assess
      expect(tableOf()).toEqual(tableUsage({ requests: 1, writeRequestUnits: 2, itemsWritten: 1 }));
      expect(tableOf('health', 'Empty')).toEqual(tableUsage({ requests: 1, writeRequestUnits: 1, estimatedRequestUnits: 1, itemsWritten: 1 }));
    });
  });

  describe('DynamoDB reads', () => {
    it.each([
      { size: 7, consistent: true, units: 1 },
      { size: 4096, consistent: true, units: 1 },
      { size: 4097, consistent: true, units: 2 },
      { size: 4096, consistent: false, units: 0.5 },
      { size: 4097, consistent: false, units: 1 },
      { size: 8193, consistent: false, units: 1.5 },
    ])('a GetItem of a $size-byte item (consistent: $consistent) costs $units RRU', async ({ size, consistent, units }) => {
      // Prepare
      dynamodb.on(GetItemCommand).resolves({ Item: itemOfSize(size) });
      const client = meteredDynamoDb();

      // Act
      await client.send(new GetItemCommand({ TableName: TABLE, Key: KEY, ConsistentRead: consistent }));

      // Assess
      expect(tableOf()).toEqual(tableUsage({ requests: 1, readRequestUnits: units, itemsRead: 1 }));
    });

    it.each([
      { consistent: true, units: 1 },
      { consistent: false, units: 0.5 },
    ])('a GetItem that finds nothing (consistent: $consistent) still costs $units RRU', async ({ consistent, units }) => {
      dynamodb.on(GetItemCommand).resolves({});
      await meteredDynamoDb().send(new GetItemCommand({ TableName: TABLE, Key: KEY, ConsistentRead: consistent }));
      expect(tableOf()).toEqual(tableUsage({ requests: 1, readRequestUnits: units }));
    });

    it.each([
      { name: 'sums the items, then rounds once (4,100 B)', sizes: [2000, 2000, 100], consistent: true, units: 2 },
      { name: 'halves it when eventually consistent', sizes: [2000, 2000, 100], consistent: false, units: 1 },
      { name: 'stays at one unit up to 4 KB in all (4,096 B)', sizes: [1000, 1000, 1000, 1096], consistent: true, units: 1 },
      { name: 'costs a unit when it returns nothing', sizes: [], consistent: true, units: 1 },
      { name: 'costs half a unit when it returns nothing, eventually consistent', sizes: [], consistent: false, units: 0.5 },
    ])('a Query $name', async ({ sizes, consistent, units }) => {
      // Prepare
      const Items = sizes.map(itemOfSize);
      dynamodb.on(QueryCommand).resolves({ Items, Count: Items.length, ScannedCount: Items.length });

      // Act
      await meteredDynamoDb().send(new QueryCommand({
        TableName: TABLE, KeyConditionExpression: 'pk = :k', ExpressionAttributeValues: { ':k': { S: 'k' } }, ConsistentRead: consistent,
      }));

      // Assess
      expect(tableOf()).toEqual(tableUsage({ requests: 1, readRequestUnits: units, itemsRead: sizes.length }));
    });

    it('bills a filtered Scan for every item it read, sizing the filtered-out ones at the returned average (estimated)', async () => {
      // Prepare: 1 item of 3,000 B returned out of 3 read → 9,000 B → 3 units, halved (a Scan is eventually consistent by default).
      dynamodb.on(ScanCommand).resolves({ Items: [itemOfSize(3000)], Count: 1, ScannedCount: 3 });

      // Act
      await meteredDynamoDb().send(new ScanCommand({ TableName: TABLE, FilterExpression: 'Silent = :f', ExpressionAttributeValues: { ':f': { BOOL: false } } }));

      // Assess
      expect(tableOf()).toEqual(tableUsage({ requests: 1, readRequestUnits: 1.5, estimatedRequestUnits: 1.5, itemsRead: 1 }));
    });

    it('bills a BatchGetItem per item, rounding each on its own, a key not found included and an unprocessed key not', async () => {
      // Prepare
      const keys = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: { S: `k${i}` } }));
      dynamodb.on(BatchGetItemCommand).resolves({
        Responses: { A: [itemOfSize(5000), itemOfSize(100)], B: [itemOfSize(4097)] },
        UnprocessedKeys: { B: { Keys: keys(1) } },
      });

      // Act
      await meteredDynamoDb().send(new BatchGetItemCommand({ RequestItems: { A: { Keys: keys(3), ConsistentRead: true }, B: { Keys: keys(2) } } }));

      // Assess: A = 2 + 1 + 1 (not found); B = 2 × ½, its second key handed back.
      expect(tableOf('health', 'A')).toEqual(tableUsage({ requests: 1, readRequestUnits: 4, itemsRead: 2 }));
      expect(tableOf('health', 'B')).toEqual(tableUsage({ requests: 1, readRequestUnits: 1, itemsRead: 1 }));
    });
  });

  describe('the DynamoDB document client', () => {
    /** A document client over a metered DynamoDB client answered by the mock (with low-level, marshalled answers). */
    function meteredDocumentClient(): DynamoDBDocumentClient {
      const client = metered(new DynamoDBClient({ maxAttempts: 1 }), twins.dynamodb, dynamodbCommands, 'aggregation', true);
      return DynamoDBDocumentClient.from(client);
    }

    it('is metered on the marshalled request and its unmarshalled answer', async () => {
      // Prepare
      const items = [1000, 2000, 3000].map((size) => ({ pk: 'k', data: 'x'.repeat(size - 7) }));
      dynamodb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: itemOfSize(3000) } }] } });
      dynamodb.on(GetItemCommand).resolves({ Item: itemOfSize(5000) });
      const client = meteredDocumentClient();

      // Act
      await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) } }));
      const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: { pk: 'k' } }));

      // Assess: the caller still gets native values; 1 + 2 WRU written (3 handed back); 2 units halved read.
      expect(Item).toEqual({ pk: 'k', data: 'x'.repeat(4993) });
      expect(dynamodb).toHaveReceivedCommandWith(BatchWriteItemCommand, { RequestItems: { [TABLE]: [1000, 2000, 3000].map((size) => ({ PutRequest: { Item: itemOfSize(size) } })) } });
      expect(tableOf('aggregation')).toEqual(tableUsage({ requests: 2, writeRequestUnits: 3, itemsWritten: 2, unprocessedItems: 1, readRequestUnits: 1, itemsRead: 1 }));
    });

    it('is metered once when both the document client and its DynamoDB client are attached (they share one stack)', async () => {
      dynamodb.on(GetItemCommand).resolves({});
      const client = meteredDocumentClient();
      meter.attach(client, 'aggregation');
      await client.send(new GetCommand({ TableName: TABLE, Key: { pk: 'k' }, ConsistentRead: true }));
      expect(tableOf('aggregation')).toEqual(tableUsage({ requests: 1, readRequestUnits: 1 }));
    });
  });

  describe('Kinesis', () => {
    const meteredKinesis = (label = 'producer') => metered(new KinesisClient({ maxAttempts: 1 }), twins.kinesis, kinesisCommands, label);
    const streamOf = (label = 'producer') => meter.snapshot().services[label]?.kinesis[STREAM];

    it.each([
      { size: 1, ppu: 1, kb: 1 },
      { size: 1024, ppu: 1, kb: 1 },
      { size: 1025, ppu: 1, kb: 2 },
      { size: 25 * 1024, ppu: 1, kb: 25 },
      { size: 25 * 1024 + 1, ppu: 2, kb: 26 },
    ])('a $size-byte record (data plus partition key) costs $ppu PUT payload units, $kb KB on demand', async ({ size, ppu, kb }) => {
      // Prepare
      kinesis.on(PutRecordCommand).resolves({ ShardId: 'shardId-000000000000', SequenceNumber: '1' });
      const PartitionKey = size === 1 ? 'p' : 'Shadowfax';

      // Act
      await meteredKinesis().send(new PutRecordCommand({ StreamName: STREAM, PartitionKey, Data: new Uint8Array(size - PartitionKey.length) }));

      // Assess
      expect(streamOf()).toEqual(streamUsage({ putRequests: 1, records: 1, bytes: size, putPayloadUnits: ppu, onDemandBilledKb: kb }));
    });

    it('counts only the PutRecords entries Kinesis accepted', async () => {
      // Prepare
      kinesis.on(PutRecordsCommand).resolves({
        FailedRecordCount: 1,
        Records: [{ SequenceNumber: '1' }, { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }, { SequenceNumber: '2' }],
      });
      const Records = ['a', 'bb', 'ccc'].map((data) => ({ PartitionKey: 'Shadowfax', Data: utf8.encode(data) }));

      // Act
      await meteredKinesis().send(new PutRecordsCommand({ StreamName: STREAM, Records }));

      // Assess
      expect(streamOf()).toEqual(streamUsage({ putRequests: 1, records: 2, bytes: 9 + 1 + 9 + 3, putPayloadUnits: 2, onDemandBilledKb: 2, failedRecords: 1 }));
    });

    it('attributes GetRecords calls to the stream of their shard iterator, and follows NextShardIterator', async () => {
      // Prepare
      const record = (data: string) => ({ SequenceNumber: '1', PartitionKey: 'Shadowfax', Data: utf8.encode(data) });
      kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
      kinesis.on(GetRecordsCommand, { ShardIterator: 'it-1' }).resolves({ Records: [record('12345'), record('1')], NextShardIterator: 'it-2' });
      kinesis.on(GetRecordsCommand, { ShardIterator: 'it-2' }).resolves({ Records: [], NextShardIterator: 'it-3' });
      const client = meteredKinesis('health');

      // Act
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
      const { NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator }));
      await client.send(new GetRecordsCommand({ ShardIterator: NextShardIterator }));

      // Assess
      expect(streamOf('health')).toEqual(streamUsage({ getRecordsCalls: 2, recordsRead: 2, bytesRead: 14 + 10, otherRequests: 1 }));
    });

    it('meters GetRecords calls made without an SDK client as the attached path would', () => {
      // Act: the local mappings' raw reads report what each answer held.
      meter.recordGetRecords('health', STREAM, { records: 2, bytes: 24 });
      meter.recordGetRecords('health', STREAM, { records: 0, bytes: 0 });

      // Assess: the same units as the SDK test above.
      expect(streamOf('health')).toEqual(streamUsage({ getRecordsCalls: 2, recordsRead: 2, bytesRead: 24 }));
    });
  });

  describe('S3', () => {
    it.each([
      ['PutObjectCommand', 'put'], ['CopyObjectCommand', 'put'], ['ListObjectsV2Command', 'put'], ['CreateMultipartUploadCommand', 'put'],
      ['UploadPartCommand', 'put'], ['CompleteMultipartUploadCommand', 'put'], ['CreateBucketCommand', 'put'],
      ['GetObjectCommand', 'get'], ['HeadObjectCommand', 'get'], ['HeadBucketCommand', 'get'], ['GetBucketLocationCommand', 'get'],
      ['DeleteObjectCommand', 'free'], ['DeleteObjectsCommand', 'free'], ['AbortMultipartUploadCommand', 'free'],
    ])('bills %s in the %s tier', (command, tier) => {
      expect(s3RequestTier(command)).toBe(tier);
    });

    it('counts requests by tier and the bytes put, a 404 on HEAD included', async () => {
      // Prepare
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
      s3.on(GetObjectCommand).resolves({ ContentLength: 5 });
      s3.on(HeadObjectCommand).rejects(answered(new s3Commands.NotFound({ message: 'Not Found', $metadata: {} }), 404));
      s3.on(ListObjectsV2Command).resolves({ Contents: [] });
      s3.on(DeleteObjectCommand).resolves({});
      const client = metered(new S3Client({ maxAttempts: 1, forcePathStyle: true }), twins.s3, s3Commands, 'archival');

      // Act
      await client.send(new PutObjectCommand({ Bucket: 'wildrydes-data', Key: 'raw/a.ndjson', Body: 'hello' }));
      await client.send(new GetObjectCommand({ Bucket: 'wildrydes-data', Key: 'raw/a.ndjson' }));
      await expect(client.send(new HeadObjectCommand({ Bucket: 'wildrydes-data', Key: 'missing' }))).rejects.toThrow();
      await client.send(new ListObjectsV2Command({ Bucket: 'wildrydes-data' }));
      await client.send(new DeleteObjectCommand({ Bucket: 'wildrydes-data', Key: 'raw/a.ndjson' }));

      // Assess
      expect(meter.snapshot().services['archival']?.s3['wildrydes-data']).toEqual({
        putClassRequests: 2, getClassRequests: 2, freeRequests: 1, bytesPut: 5, bytesRead: 5,
      });
    });
  });

  it('bills EventBridge entries in 64 KB chunks, per bus, leaving out failed entries', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: '1' }, { EventId: '2' }, { ErrorCode: 'InternalFailure' }] });
    const entry = (detail: string, bus?: string) => ({ Source: 'wildrydes.health', DetailType: 'unicorn-alert', Detail: detail, ...(bus ? { EventBusName: bus } : {}) });
    const big = JSON.stringify({ padding: 'x'.repeat(70_000) });
    const client = metered(new EventBridgeClient({ maxAttempts: 1 }), twins.eventBridge, eventBridgeCommands, 'health');

    // Act
    await client.send(new PutEventsCommand({ Entries: [entry('{}', 'wildrydes'), entry(big, 'arn:aws:events:us-east-1:1:event-bus/wildrydes'), entry('{}')] }));

    // Assess
    expect(meter.snapshot().services['health']?.eventbridge).toEqual({
      wildrydes: { putEventsCalls: 1, entries: 2, eventUnits: 1 + 2, failedEntries: 0, otherRequests: 0 },
      default: { putEventsCalls: 1, entries: 0, eventUnits: 0, failedEntries: 1, otherRequests: 0 },
    });
  });

  it('bills SQS requests in 64 KB chunks of payload, at least one each', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: '1' });
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ Body: 'a' }, { Body: 'b' }] });
    sqs.on(DeleteMessageCommand).resolves({});
    const client = metered(new SQSClient({ maxAttempts: 1, md5: false }), twins.sqs, sqsCommands, 'alerts');
    const QueueUrl = 'https://sqs.us-east-1.amazonaws.com/1/unicorn-alerts';

    // Act
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(100 * 1024) }));
    await client.send(new ReceiveMessageCommand({ QueueUrl }));
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'r' }));

    // Assess
    expect(meter.snapshot().services['alerts']?.sqs['unicorn-alerts']).toEqual({ requests: 3, requestUnits: 2 + 1 + 1, messagesSent: 1, messagesReceived: 2 });
  });

  describe('Lambda invocations', () => {
    it('bills requests and GB-seconds, each duration rounded up to the millisecond', () => {
      meter.recordInvocation('track-health', 100.2, 128, 'health');
      meter.recordInvocation('track-health', 0.3, 1024, 'health');
      expect(meter.snapshot().services['health']?.lambda['track-health']).toEqual({
        invocations: 2, billedDurationMs: 101 + 1, gbSeconds: expect.closeTo(0.125 * 0.101 + 1 * 0.001, 12) as number,
      });
    });

    it.each([
      { name: '', durationMs: 1, memoryMb: 128 },
      { name: 'f', durationMs: -1, memoryMb: 128 },
      { name: 'f', durationMs: Number.NaN, memoryMb: 128 },
      { name: 'f', durationMs: 1, memoryMb: 0 },
    ])('refuses an invocation of "$name" lasting $durationMs ms with $memoryMb MB', ({ name, durationMs, memoryMb }) => {
      expect(() => meter.recordInvocation(name, durationMs, memoryMb)).toThrow(expect.objectContaining({ code: new MeterInputError('').code }));
    });
  });

  it('counts a call it cannot price as unmetered, with the reason, and leaves the call alone', async () => {
    dynamodb.on(TransactWriteItemsCommand).resolves({});
    const output = await meteredDynamoDb().send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: itemOfSize(10) } }] }));
    expect(output.$metadata).toBeDefined();
    expect(meter.snapshot().unmetered).toEqual({ calls: 1, reasons: ['DynamoDBClient TransactWriteItemsCommand: DynamoDB TransactWriteItems is not metered'] });
  });

  it('hands out plain, JSON-serialisable totals, formats them and resets', async () => {
    // Prepare
    dynamodb.on(PutItemCommand).resolves({});
    await meteredDynamoDb('health').send(new PutItemCommand({ TableName: TABLE, Item: itemOfSize(1025) }));
    meter.recordInvocation('track-health', 12, 256, 'health');

    // Act
    const snapshot = meter.snapshot();
    const table = meter.formatTotals();
    meter.reset();

    // Assess
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(table.split('\n')).toEqual([
      'Billing meter (units AWS would bill):',
      expect.stringMatching(/^service +resource +billed units$/),
      expect.stringMatching(/^health +dynamodb UnicornHealth +WRU 2 · 1 written$/),
      expect.stringMatching(/^health +lambda track-health +1 invocations · 0\.003 GB-s$/),
    ]);
    expect(meter.snapshot()).toEqual({ services: {}, unmetered: { calls: 0, reasons: [] } });
  });
});

describe('BillingMeter against the local stand-ins', () => {
  const local = useLocalRuntime();
  const meter = new BillingMeter();
  const made: SdkClient[] = [];
  const names = {
    telemetryStream: `meter-${process.pid}`, summaryStream: `meter-summary-${process.pid}`,
    healthTable: `MeterHealth${process.pid}`, summaryTable: `MeterSummary${process.pid}`, dataBucket: `meter-${process.pid}`,
  };
  /** Clients made the way the local stack makes them: through a connection whose onClient hook attaches the meter. */
  const connection = (label: string) => awsConnection(local.runtime.endpoints, (client) => {
    made.push(client);
    meter.attach(client, label);
  });

  afterAll(() => made.forEach((client) => client.destroy()));

  it("meters items, records and objects put and read through the adapters' own clients", async () => {
    // Prepare
    await provisionResources(local.clients, names, { telemetryShardCount: 1 });
    const documentClient = createDynamoDbDocumentClient(connection('aggregation'));
    const producer = createKinesisClient(connection('producer'));
    const consumer = createKinesisClient(connection('health'));
    const s3 = createS3Client(connection('archival'));
    const summaries = [10, 1100, 2100].map((padding, minute) => ({
      Name: 'Shadowfax', StatusTime: `2026-01-01 12:0${minute + 1}:00.000`, Distance: 1234.5, Readings: 60,
      ReadingOffsets: new Uint8Array(120), Notes: 'x'.repeat(padding),
    }));
    const sizes = summaries.map((summary) => dynamoDbItemSize(summary));
    const lines = ['{"Name":"Shadowfax"}', '{"Name":"Rocinante","Distance":29.9}', '{"Name":"Bucephalus"}'];
    const body = `${lines.join('\n')}\n`;

    // Act
    await documentClient.send(new BatchWriteCommand({ RequestItems: { [names.summaryTable]: summaries.map((Item) => ({ PutRequest: { Item } })) } }));
    const { Item } = await documentClient.send(new GetCommand({
      TableName: names.summaryTable, Key: { Name: 'Shadowfax', StatusTime: summaries[2]!.StatusTime }, ConsistentRead: true,
    }));
    const { Items } = await documentClient.send(new DocumentQueryCommand({
      TableName: names.summaryTable, KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'Name' }, ExpressionAttributeValues: { ':n': 'Shadowfax' },
    }));
    await producer.send(new PutRecordsCommand({ StreamName: names.telemetryStream, Records: lines.map((line) => ({ PartitionKey: 'Shadowfax', Data: utf8.encode(line) })) }));
    const { ShardIterator } = await consumer.send(new GetShardIteratorCommand({
      StreamName: names.telemetryStream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
    }));
    let iterator = ShardIterator;
    let read = 0;
    await eventually(async () => {
      const page = await consumer.send(new GetRecordsCommand({ ShardIterator: iterator }));
      iterator = page.NextShardIterator;
      read += page.Records?.length ?? 0;
      return read >= lines.length;
    }, { what: 'the records read back' });
    await s3.send(new PutObjectCommand({ Bucket: names.dataBucket, Key: 'raw/meter.ndjson', Body: utf8.encode(body) }));
    const object = await s3.send(new GetObjectCommand({ Bucket: names.dataBucket, Key: 'raw/meter.ndjson' }));
    await object.Body?.transformToString();

    // Assess
    expect(Item?.['Notes']).toBe(summaries[2]!.Notes);
    expect(Items).toHaveLength(3);
    const totals = meter.snapshot();
    expect(totals.unmetered).toEqual({ calls: 0, reasons: [] });
    expect(totals.services['aggregation']?.dynamodb[names.summaryTable]).toEqual(tableUsage({
      requests: 3,
      writeRequestUnits: sizes.reduce((sum, size) => sum + writeUnits(size), 0),
      itemsWritten: 3,
      readRequestUnits: readUnits(sizes[2]!, true) + readUnits(sizes.reduce((sum, size) => sum + size, 0), false),
      itemsRead: 1 + 3,
    }));
    const recordBytes = lines.reduce((sum, line) => sum + line.length + 'Shadowfax'.length, 0);
    expect(totals.services['producer']?.kinesis[names.telemetryStream]).toEqual(streamUsage({
      putRequests: 1, records: 3, bytes: recordBytes, putPayloadUnits: 3, onDemandBilledKb: 3,
    }));
    expect(totals.services['health']?.kinesis[names.telemetryStream]).toMatchObject({ recordsRead: 3, bytesRead: recordBytes, otherRequests: 1 });
    expect(totals.services['archival']?.s3[names.dataBucket]).toEqual({
      putClassRequests: 1, getClassRequests: 1, freeRequests: 0, bytesPut: body.length, bytesRead: body.length,
    });
  });
});
