/**
 * Throughput of put → KinesisEventSourceMapping → no-op handler against in-process kinesalite, and of three
 * mappings on one stream reading it each by itself or through one SharedShardReader.
 * Run (repository root): npx tsx --tsconfig tsconfig.json tools/local-aws/src/event-source-mapping/event-source-mapping.bench.ts
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import { KinesisEventSourceMapping } from './kinesis-event-source-mapping';
import { createStream, putRecords, startKinesalite, type LocalKinesis, type PutEntry } from './kinesalite.test-support';
import { createLocalKinesisClient } from './local-kinesis-client';
import { SharedShardReader } from './shared-shard-reader';

const RECORDS = 50_000;
const SHARDS = 4;
const BATCH_SIZE = 1000;
const POLL_INTERVAL_MS = 100;

function readings(count: number): PutEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `unicorn-${String(i % 1000).padStart(4, '0')}`;
    const data = JSON.stringify({
      name, statusTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
      latitude: 40.7 + (i % 97) / 1000, longitude: -74.0 + (i % 89) / 1000,
      distance: i % 500, magicPoints: 100 + (i % 50), healthPoints: 120 + (i % 30), seq: i,
    });
    return { partitionKey: name, data: data.padEnd(180, ' ') };
  });
}

const rate = (count: number, ms: number): string => `${Math.round(count / (ms / 1000)).toLocaleString('en-US')} rec/s`;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function scenario(local: LocalKinesis, label: string, runnerFirst: boolean): Promise<void> {
  const streamName = `bench-${label}`;
  await createStream(local.kinesis, streamName, SHARDS);
  const entries = readings(RECORDS);
  let delivered = 0;
  let invocations = 0;
  const latencies: number[] = [];
  const mapping = new KinesisEventSourceMapping({
    kinesis: local.kinesis, streamName, functionName: 'bench-noop', checkpointStore: new InMemoryCheckpointStore(),
    startingPosition: 'TRIM_HORIZON', batchSize: BATCH_SIZE, pollIntervalMs: POLL_INTERVAL_MS,
    handler: async (event) => {
      const now = Date.now();
      invocations += 1;
      delivered += event.Records.length;
      for (const record of event.Records) latencies.push(now - record.kinesis.approximateArrivalTimestamp * 1000);
    },
  });

  if (runnerFirst) {
    mapping.start();
    await mapping.drain();
  }
  const putStart = performance.now();
  await putRecords(local.kinesis, streamName, entries);
  const putMs = performance.now() - putStart;
  const runStart = performance.now();
  if (!runnerFirst) mapping.start();
  await mapping.drain();
  const end = performance.now();
  await mapping.stop();
  if (delivered !== RECORDS) throw new Error(`delivered ${delivered} of ${RECORDS}`);

  latencies.sort((a, b) => a - b);
  console.log(`\n${label}: ${RECORDS} records of ~180 B, ${SHARDS} shards, batch size ${BATCH_SIZE}, ${invocations} invocations`);
  console.log(`  PutRecords x500             ${(putMs / 1000).toFixed(2)} s  ${rate(RECORDS, putMs)}`);
  if (runnerFirst) {
    console.log(`  put -> runner -> handler    ${((end - putStart) / 1000).toFixed(2)} s  ${rate(RECORDS, end - putStart)} end to end`);
    console.log(`  arrival -> handler latency  p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${latencies.at(-1)} ms`);
  } else {
    console.log(`  runner on the backlog       ${((end - runStart) / 1000).toFixed(2)} s  ${rate(RECORDS, end - runStart)}`);
  }
}

/** Three mappings (batch sizes 100, 500, 1000) on one backlog: each reading alone, or through one shared reader. */
async function fanOut(local: LocalKinesis, shared: boolean): Promise<void> {
  const label = shared ? 'shared reader' : 'separate readers';
  const streamName = `bench-fan-out-${shared ? 'shared' : 'separate'}`;
  await createStream(local.kinesis, streamName, SHARDS);
  await putRecords(local.kinesis, streamName, readings(RECORDS));
  const kinesis = createLocalKinesisClient(local.endpoint);
  let getRecords = 0;
  kinesis.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'GetRecordsCommand') getRecords += 1;
    return next(args);
  }, { step: 'initialize', name: 'countGetRecords' });
  const shardReader = shared ? new SharedShardReader({ kinesis, streamName, pollIntervalMs: POLL_INTERVAL_MS }) : undefined;
  let delivered = 0;
  const mappings = [100, 500, 1000].map((batchSize) => new KinesisEventSourceMapping({
    kinesis, streamName, functionName: `bench-${batchSize}`, checkpointStore: new InMemoryCheckpointStore(),
    startingPosition: 'TRIM_HORIZON', batchSize, pollIntervalMs: POLL_INTERVAL_MS, shardReader,
    handler: async (event) => {
      delivered += event.Records.length;
    },
  }));
  const start = performance.now();
  for (const mapping of mappings) mapping.start();
  await Promise.all(mappings.map((mapping) => mapping.drain()));
  const ms = performance.now() - start;
  const callsAtDrain = getRecords;
  await Promise.all(mappings.map((mapping) => mapping.stop()));
  kinesis.destroy();
  if (delivered !== 3 * RECORDS) throw new Error(`delivered ${delivered} of ${3 * RECORDS}`);
  console.log(`  ${label.padEnd(17)} ${(ms / 1000).toFixed(2)} s  ${rate(3 * RECORDS, ms)} delivered in all, `
    + `${callsAtDrain.toLocaleString('en-US')} GetRecords calls`);
}

const local = await startKinesalite();
try {
  await scenario(local, 'live', true);
  await scenario(local, 'backlog', false);
  console.log(`\nfan-out: 3 mappings (batch 100, 500, 1000) on one backlog of ${RECORDS} records, ${SHARDS} shards`);
  await fanOut(local, false);
  await fanOut(local, true);
  console.log(`\nrss ${Math.round(process.memoryUsage().rss / 1e6)} MB, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await local.close();
}
