/**
 * What one conditional write of a minute summary costs the local DynamoDB stand-in, and its caller (a script, not a
 * test: figures are printed, never asserted).
 *
 *   npm run bench:stand-ins             # 15 s per part
 *   npm run bench:stand-ins -- --quick  # 5 s per part
 *
 * Starts the local runtime on free ports and provisions the tables, then keeps 16 conditional PutItems of real
 * summary items (60 readings, built by the summary store's own mapper) in flight against `UnicornSensorData`:
 * 1. as plain HTTP requests, which cost this process little, so the emulator host's CPU per put is dynalite's own;
 * 2. through the document client, as the summary store sends them, so this process's CPU per put is the SDK's.
 * The host's CPU is read from /proc (Linux). The capacity of the local stack rests on these two figures: every
 * unicorn-minute is one such put (docs/adr/0013-local-stack-throughput.md).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { awsConnection, createAwsClients } from '@wildrydes/adapters/clients';
import { createDynamoDbDocumentClient, dynamoDbItemSize, toSummaryItem } from '@wildrydes/adapters/dynamodb';
import { partialsFromReadings, RESOURCE_NAMES, type Reading } from '@wildrydes/domain';
import { provisionResources } from './provision-resources';
import { startLocalRuntime } from './start-local-runtime';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 5 : 15;
const IN_FLIGHT = 16;
const TABLE = RESOURCE_NAMES.summaryTable;
const MINUTE = Date.UTC(2026, 11, 4, 10, 0);

/** The i-th unicorn-minute's item: 60 readings of `Unicorn-<i>`, as the summary store writes it (version 1). */
function summaryItem(i: number): Record<string, unknown> {
  const name = `Unicorn-${i}`;
  const readings: Reading[] = Array.from({ length: 60 }, (_, s) => ({
    name, time: MINUTE + s * 1000 + 137, latitude: 40.7 + s * 1e-4, longitude: -73.9 - s * 1e-4, distance: 29.5 + (s % 7) * 0.173, magicPoints: 140 + (s % 11), healthPoints: 150 - (s % 9),
  }));
  const partial = [...partialsFromReadings(readings).values()][0]!;
  return toSummaryItem(partial, 1, { emitted: true }) as unknown as Record<string, unknown>;
}

/** A flat item in DynamoDB's wire JSON (what the SDK would send for it). */
function wireItem(item: Record<string, unknown>): Record<string, unknown> {
  const wire = (value: unknown): unknown => {
    if (typeof value === 'string') return { S: value };
    if (typeof value === 'number') return { N: String(value) };
    if (typeof value === 'boolean') return { BOOL: value };
    if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
    throw new TypeError(`no wire form for ${typeof value}`);
  };
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined).map(([name, value]) => [name, wire(value)]));
}

/** The emulator host's CPU so far, in ms (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
function hostCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Keeps `IN_FLIGHT` puts going for `SECONDS`, starting at item `first`; returns how many were made. */
async function drive(first: number, put: (i: number) => Promise<void>): Promise<number> {
  let next = first;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < end) await put(next++);
  }));
  return next - first;
}

const runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
const clients = createAwsClients(runtime.endpoints);
try {
  await provisionResources(clients);
  const sample = summaryItem(0);
  console.log(`conditional PutItem of a minute summary (${dynamoDbItemSize(sample)} bytes, 60 readings) into ${TABLE}, ${IN_FLIGHT} in flight, ${SECONDS} s each:`);

  // 1. Plain HTTP: the caller's share is small, the host's CPU is dynalite's.
  const url = new URL(runtime.endpoints.dynamodb);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const plainPut = (i: number): Promise<void> => new Promise((resolve, reject) => {
    const body = JSON.stringify({ TableName: TABLE, Item: wireItem(summaryItem(i)), ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'Name' } });
    const request = http.request({
      agent, host: url.hostname, port: url.port, method: 'POST', path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem', authorization: 'AWS4-HMAC-SHA256 Credential=local/20261204/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0', 'x-amz-date': '20261204T000000Z' },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`PutItem answered ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
  let hostBefore = hostCpuMs(runtime.hostPid);
  const plain = await drive(0, plainPut);
  const hostPlain = hostCpuMs(runtime.hostPid) - hostBefore;
  agent.destroy();
  console.log(`  plain HTTP:      ${Math.round(plain / SECONDS).toLocaleString('en')} puts/s; dynalite ${(hostPlain / plain).toFixed(2)} ms of host CPU a put (host busy ${(hostPlain / (SECONDS * 10)).toFixed(0)} % of one core)`);

  // 2. The document client, as the summary store calls it.
  const documentClient = createDynamoDbDocumentClient(awsConnection(runtime.endpoints));
  const sdkPut = async (i: number): Promise<void> => {
    await documentClient.send(new PutCommand({ TableName: TABLE, Item: summaryItem(i), ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'Name' } }));
  };
  await drive(1_000_000, sdkPut); // warm-up: the SDK's first calls compile its code paths
  hostBefore = hostCpuMs(runtime.hostPid);
  const callerBefore = processCpuMs();
  const built = performance.now();
  for (let i = 0; i < 1_000; i++) summaryItem(i);
  const buildMs = (performance.now() - built) / 1_000;
  const sdk = await drive(2_000_000, sdkPut);
  const callerMs = processCpuMs() - callerBefore;
  const hostSdk = hostCpuMs(runtime.hostPid) - hostBefore;
  documentClient.destroy();
  console.log(`  document client: ${Math.round(sdk / SECONDS).toLocaleString('en')} puts/s; ${(callerMs / sdk - buildMs).toFixed(2)} ms of this process's CPU a put (building the item, ${buildMs.toFixed(2)} ms, left out); dynalite ${(hostSdk / sdk).toFixed(2)} ms`);
} finally {
  clients.destroy();
  await runtime.stop();
}
