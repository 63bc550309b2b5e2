/**
 * Run by `standard-endpoints.test.ts` in a shell that loaded `local.env` and nothing else: every client is built
 * with no option at all, so only the standard variables can lead it to the stand-ins. Prints what each call saw.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const kinesis = new KinesisClient();
const dynamodb = new DynamoDBClient();
const s3 = new S3Client();
const eventBridge = new EventBridgeClient();

const put = await kinesis.send(new PutRecordCommand({ StreamName: 'wildrydes', PartitionKey: 'Shadowfax', Data: Buffer.from('{"plain":true}\n') }));
const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
  StreamName: 'wildrydes', ShardId: put.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber,
}));
const records = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
const tables = await dynamodb.send(new ListTablesCommand({}));
// A streamed body: the SDK sends it aws-chunked with a trailing checksum.
const body = 'streamed by a plain client\n';
await s3.send(new PutObjectCommand({ Bucket: 'wildrydes-data', Key: 'plain/streamed.txt', Body: Readable.from([Buffer.from(body)]), ContentLength: Buffer.byteLength(body) }));
const object = await s3.send(new GetObjectCommand({ Bucket: 'wildrydes-data', Key: 'plain/streamed.txt' }));
const buses = await eventBridge.send(new ListEventBusesCommand({}));

process.stdout.write(`${JSON.stringify({
  record: Buffer.from(records.Records?.[0]?.Data ?? []).toString('utf8'),
  tables: tables.TableNames,
  object: await object.Body?.transformToString(),
  buses: buses.EventBuses?.map((bus) => bus.Name),
})}\n`);
for (const client of [kinesis, dynamodb, s3, eventBridge]) client.destroy();
