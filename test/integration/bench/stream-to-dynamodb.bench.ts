/**
 * Throughput of readings through put → KinesisEventSourceMapping → handler → DynamoDB, all on the local runtime
 * (kinesalite + dynalite in the runtime's child process), for three handlers:
 *   (a) no-op;
 *   (b) decode, then one item per reading with DynamoDbBatchWriter (BatchWriteItem × 25);
 *   (c) decode, partialsFromReadings, DynamoDbSummaryStore.merge (one conditional PutItem per changed window).
 * Prints readings/s end to end and the DynamoDB calls per 1,000 readings. A script, not a test:
 *   npx tsx --tsconfig tsconfig.json test/integration/bench/stream-to-dynamodb.bench.ts   (from the repository root)
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  decodeRecord, FleetSimulation, floorToMinute, partialsFromReadings, TABLE_KEYS, toWorkshopRecord, type DecodedRecord,
  type SimulatedRecord,
} from '@wildrydes/domain';
import type { KinesisStreamEvent } from 'aws-lambda';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { InMemoryCheckpointStore, KinesisEventSourceMapping } from '@wildrydes/local-aws';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { DynamoDbBatchWriter } from '@wildrydes/adapters/dynamodb';
import { DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';

const READINGS = 20_000;
const UNICORNS = 200;
const SHARDS = 2;
const BATCH_SIZE = 1000;
const POLL_INTERVAL_MS = 100;
const PUT_BATCH = 500;

// Ten minutes ago, on a minute boundary, so the decoder's future check passes and windows are whole minutes.
const START = floorToMinute(Date.now()) - 10 * 60_000;

function simulatedRecords(): SimulatedRecord[] {
  const fleet = new FleetSimulation({ seed: 42, unicorns: UNICORNS, startTime: START, format: 'v2' });
  const records: SimulatedRecord[] = [];
  while (records.length < READINGS) records.push(...fleet.tick());
  return records.slice(0, READINGS);
}

async function putAll(kinesis: KinesisClient, streamName: string, records: readonly SimulatedRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += PUT_BATCH) {
    const out = await kinesis.send(new PutRecordsCommand({
      StreamName: streamName,
      Records: records.slice(i, i + PUT_BATCH).map((r) => ({ PartitionKey: r.partitionKey, Data: Buffer.from(r.data) })),
    }));
    // kinesalite never throttles single entries; a real stream would need those retried.
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
  }
}

/** A document client that counts what it sends, by command name. */
function countingDocumentClient(endpoint: string, region: string): { client: DynamoDBDocumentClient; sent: Map<string, number>; destroy(): void } {
  const base = new DynamoDBClient({ region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const sent = new Map<string, number>();
  base.middlewareStack.add((next, context) => async (args) => {
    sent.set(context.commandName ?? '?', (sent.get(context.commandName ?? '?') ?? 0) + 1);
    return next(args);
  }, { step: 'initialize', name: 'benchCounter' });
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { client, sent, destroy: () => { client.destroy(); base.destroy(); } };
}

function decodeEvent(event: KinesisStreamEvent): DecodedRecord {
  const decoded: DecodedRecord = { readings: [], rejections: [] };
  const now = Date.now();
  for (const record of event.Records) decodeRecord(Buffer.from(record.kinesis.data, 'base64'), { now }, decoded);
  if (decoded.rejections.length > 0) throw new Error(`${decoded.rejections.length} records rejected`);
  return decoded;
}

async function countItems(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey !== undefined);
  return count;
}

interface ScenarioResult {
  readonly label: string;
  readonly ms: number;
  readonly putMs: number;
  readonly invocations: number;
  readonly calls: Map<string, number>;
  readonly check: string;
}

type Handler = (event: KinesisStreamEvent) => Promise<void>;

async function scenario(
  runtime: LocalRuntime, clients: AwsClients, records: readonly SimulatedRecord[], label: string,
  build: (tableName: string, client: DynamoDBDocumentClient) => { handler: Handler; check: () => Promise<string> },
): Promise<ScenarioResult> {
  const names = {
    telemetryStream: `bench-${label}`, summaryStream: `bench-${label}-out`, healthTable: `bench-${label}-health`,
    // Readings and minute summaries share the key (Name, StatusTime): one table shape serves (b) and (c).
    summaryTable: `bench-${label}-table`, dataBucket: `bench-${label}`,
  };
  await provisionResources(clients, names, { telemetryShardCount: SHARDS });
  const counting = countingDocumentClient(runtime.endpoints.dynamodb, runtime.endpoints.region);
  const { handler, check } = build(names.summaryTable, counting.client);
  let invocations = 0;
  let delivered = 0;
  const mapping = new KinesisEventSourceMapping({
    kinesis: clients.kinesis, streamName: names.telemetryStream, functionName: `bench-${label}`,
    checkpointStore: new InMemoryCheckpointStore(), startingPosition: 'TRIM_HORIZON',
    batchSize: BATCH_SIZE, pollIntervalMs: POLL_INTERVAL_MS,
    handler: async (event) => {
      invocations++;
      await handler(event);
      delivered += event.Records.length;
    },
  });
  mapping.start();
  await mapping.drain();
  const start = performance.now();
  await putAll(clients.kinesis, names.telemetryStream, records);
  const putMs = performance.now() - start;
  await mapping.drain({ timeoutMs: 300_000 });
  const ms = performance.now() - start;
  await mapping.stop();
  if (delivered !== records.length) throw new Error(`${label}: delivered ${delivered} of ${records.length}`);
  const result = { label, ms, putMs, invocations, calls: new Map(counting.sent), check: await check() };
  counting.destroy();
  return result;
}

const perThousand = (n: number): string => (n / (READINGS / 1000)).toFixed(1);

const runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
const clients = createAwsClients(runtime.endpoints);
try {
  const records = simulatedRecords();
  const results: ScenarioResult[] = [];

  // Unreported warm-up: the first run pays for JIT and connection set-up, which would flatter the later handlers.
  await scenario(runtime, clients, records, 'warmup', () => ({ handler: async () => undefined, check: async () => 'n/a' }));

  results.push(await scenario(runtime, clients, records, 'noop', () => ({
    handler: async () => undefined,
    check: async () => 'n/a',
  })));

  results.push(await scenario(runtime, clients, records, 'items', (tableName, client) => {
    const writer = new DynamoDbBatchWriter(client, TABLE_KEYS.UnicornSensorData);
    return {
      handler: async (event) => {
        await writer.putAll(tableName, decodeEvent(event).readings.map(toWorkshopRecord));
      },
      check: async () => `${(await countItems(clients.dynamodb, tableName)).toLocaleString('en-US')} items`,
    };
  }));

  results.push(await scenario(runtime, clients, records, 'summaries', (tableName, client) => {
    const store = new DynamoDbSummaryStore(client, { tableName });
    let changed = 0;
    return {
      handler: async (event) => {
        const merged = await store.merge([...partialsFromReadings(decodeEvent(event).readings).values()]);
        changed += merged.filter((w) => w.changed).length;
      },
      check: async () => {
        const windows = await countItems(clients.dynamodb, tableName);
        const counted = (await Promise.all(Array.from({ length: UNICORNS }, (_, i) => records[i]!.partitionKey)
          .map(async (name) => (await store.listByName(name)).reduce((sum, s) => sum + s.summary.Readings, 0))))
          .reduce((a, b) => a + b, 0);
        return `${windows} windows, ${changed} window writes, ${counted.toLocaleString('en-US')} readings counted`;
      },
    };
  }));

  console.log(`\n${READINGS.toLocaleString('en-US')} simulated readings (${UNICORNS} unicorns, v2 records), ${SHARDS} shards, `
    + `PutRecords x${PUT_BATCH}, ESM batch size ${BATCH_SIZE}, poll ${POLL_INTERVAL_MS} ms; dynalite and kinesalite in the runtime's child process\n`);
  console.log('handler                          readings/s  put only/s  invocations  DynamoDB calls per 1,000 readings        check');
  for (const r of results) {
    const writes = (r.calls.get('BatchWriteItemCommand') ?? 0) + (r.calls.get('PutItemCommand') ?? 0);
    const reads = (r.calls.get('BatchGetItemCommand') ?? 0) + (r.calls.get('GetItemCommand') ?? 0);
    const callText = r.label === 'noop' ? '-' : `${perThousand(writes)} writes, ${perThousand(reads)} reads`;
    console.log(`${{ noop: '(a) no-op', items: '(b) decode + BatchWriteItem x25', summaries: '(c) partials + SummaryStore.merge' }[r.label]!.padEnd(32)} `
      + `${Math.round(READINGS / (r.ms / 1000)).toLocaleString('en-US').padStart(10)}  `
      + `${Math.round(READINGS / (r.putMs / 1000)).toLocaleString('en-US').padStart(10)}  ${String(r.invocations).padStart(11)}  `
      + `${callText.padEnd(40)} ${r.check}`);
    if (r.label !== 'noop') console.log(`${''.padEnd(34)}calls: ${JSON.stringify(Object.fromEntries(r.calls))}`);
  }
  console.log(`\nrss ${Math.round(process.memoryUsage().rss / 1e6)} MB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  clients.destroy();
  await runtime.stop();
}
