import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { INGESTION_TOKENS, createIngestionContainer } from '@wildrydes/ingestion';
import { loadEvent } from '@wildrydes/test-kit';
import type { ImportReport } from '@wildrydes/domain';
import type { createImportUploadHandler } from '@wildrydes/ingestion';
import { readIngestionConfig } from '@wildrydes/ingestion';
import { gzipped, ndjson, READINGS_START, readingLine, shadowfaxSummaryLines } from '@wildrydes/test-kit';

const BUCKET = RESOURCE_NAMES.dataBucket;
const SUMMARY_KEY = 'uploads/shadowfax-2016-02-12.json';
const RAW_KEY = 'uploads/fleet 2026-11-22.ndjson.gz';
const UNICORNS = ['Bucephalus', 'Rocinante', 'Pegasus', 'Epona'];
const rawLines = UNICORNS.flatMap((name) => Array.from({ length: 50 }, (_, s) => readingLine(name, READINGS_START + s * 1000)));
// Three bad lines, at lines 11, 101 and 203 of the file.
const rawFile = [...rawLines.slice(0, 10), 'not json', ...rawLines.slice(10, 99), readingLine('Pegasus', READINGS_START, { HealthPoints: 'lots' }), ...rawLines.slice(99), '{"Name":""}'];

/** Every record of every shard from TRIM_HORIZON, by GetRecords until a shard has no more. */
async function readWholeStream(kinesis: KinesisClient, streamName: string): Promise<{ partitionKey: string; data: string }[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: { partitionKey: string; data: string }[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const found = page.Records ?? [];
      for (const r of found) records.push({ partitionKey: r.PartitionKey ?? '', data: Buffer.from(r.Data ?? new Uint8Array()).toString('utf8') });
      iterator = found.length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return records;
}

async function queryByName(documentClient: DynamoDBDocumentClient, name: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new QueryCommand({
      TableName: RESOURCE_NAMES.summaryTable, KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'Name' }, ExpressionAttributeValues: { ':n': name },
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** The fixture's ObjectCreated record, once per uploaded key (keys URL-encoded as S3 sends them). */
function uploadEvent(keys: readonly string[]): S3Event {
  const [template] = loadEvent<S3Event>('s3/object-created-put.json').Records;
  return {
    Records: keys.map((key) => ({
      ...template!,
      s3: { ...template!.s3, object: { ...template!.s3.object, key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/') } },
    })),
  };
}

describe('ingestion on the local runtime', () => {
  let runtime: LocalRuntime | undefined;
  let clients: AwsClients;

  beforeAll(async () => {
    // The handler's Powertools logger and metrics write to stdout; the assertions below say what they would.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 }, startEventBridge: false });
    clients = createAwsClients(runtime.endpoints);
    // No bus: ingestion publishes no events, and the runtime starts without its EventBridge stand-in.
    await provisionResources({ kinesis: clients.kinesis, dynamodb: clients.dynamodb, s3: clients.s3 });
  });
  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
    vi.unstubAllEnvs();
  });

  it('imports a summary file and a raw file from uploads/, and a redelivered notification changes nothing (not even the stream)', async () => {
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: SUMMARY_KEY, Body: Buffer.from(ndjson(shadowfaxSummaryLines())) }));
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: RAW_KEY, Body: gzipped(ndjson(rawFile)) }));
    const handler = createIngestionContainer(readIngestionConfig({}), clients.connection).get<ReturnType<typeof createImportUploadHandler>>(INGESTION_TOKENS.ImportUploadHandler);
    const event = uploadEvent([SUMMARY_KEY, RAW_KEY]);

    const state = async () => {
      const reportOf = async (key: string): Promise<ImportReport> => {
        const output = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        return JSON.parse(await output.Body!.transformToString('utf8')) as ImportReport;
      };
      const archive = new S3ArchiveStore(clients.s3, BUCKET);
      const rejectedKeys = (await clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'rejected/' }))).Contents?.map((o) => o.Key ?? '') ?? [];
      return {
        summaries: await queryByName(clients.documentClient, 'Shadowfax'),
        stream: await readWholeStream(clients.kinesis, RESOURCE_NAMES.telemetryStream),
        rejectedKeys,
        quarantine: await Promise.all(rejectedKeys.map(async (key) => (await archive.read(key)).map((line) => JSON.parse(line) as { line: number; code: string }))),
        summaryReport: await reportOf('reports/shadowfax-2016-02-12.json.json'),
        rawReport: await reportOf('reports/fleet 2026-11-22.ndjson.gz.json'),
      };
    };

    const result = await handler(event);
    expect(result.imported.map((r) => r.key)).toEqual([SUMMARY_KEY, RAW_KEY]);
    const first = await state();

    expect(first.summaries).toHaveLength(1440);
    expect(first.summaries[0]).toMatchObject({ Name: 'Shadowfax', StatusTime: '2016-02-12 00:00:00.000', ImportedFrom: `s3://${BUCKET}/${SUMMARY_KEY}` });
    expect(first.stream).toHaveLength(200);
    expect(new Set(first.stream.map((r) => r.data))).toEqual(new Set(rawLines.map((line) => line + '\n')));
    expect(new Set(first.stream.map((r) => r.partitionKey))).toEqual(new Set(UNICORNS));
    expect(first.rejectedKeys).toHaveLength(1);
    expect(first.quarantine[0]?.map((l) => [l.line, l.code])).toEqual([[11, 'INVALID_JSON'], [101, 'WRONG_TYPE'], [203, 'EMPTY_NAME']]);
    expect(first.summaryReport).toMatchObject({ status: 'imported', linesRead: 1440, summariesWritten: 1440, readingsSent: 0, linesRejected: 0 });
    expect(first.rawReport).toMatchObject({ status: 'imported', linesRead: 203, readingsSent: 200, summariesWritten: 0, linesRejected: 3, quarantineObjects: first.rejectedKeys, streamEntriesRefused: 0 });

    await handler(event);
    const second = await state();
    expect(second.summaries).toEqual(first.summaries);
    expect(second.rejectedKeys).toEqual(first.rejectedKeys);
    expect(second.quarantine).toEqual(first.quarantine);
    expect({ ...second.summaryReport, durationMs: 0 }).toEqual({ ...first.summaryReport, durationMs: 0 });
    expect({ ...second.rawReport, durationMs: 0 }).toEqual({ ...first.rawReport, durationMs: 0 });
    // A redelivered notification for the same version (ETag) sends nothing again: the report marks it imported.
    expect(second.stream).toEqual(first.stream);
    expect(first.rawReport.eTag).toMatch(/^[0-9a-f]{32}$/);
  });
});
