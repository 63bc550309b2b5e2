/**
 * Handler CPU per reading (a script, not a test: figures are printed, never asserted).
 *
 *   npm run bench:handlers             # 100,000 readings, best of 7
 *   npm run bench:handlers -- --quick  # 50,000 readings, best of 3
 *   npm run bench:handlers -- --only archival
 *
 * Each stream service's real handler (decoding, use case, state in and out) is fed Lambda Kinesis events as full as
 * its mapping's batch size allows (what it gets under load), with the test kit's in-memory ports behind it (for the
 * archive, a store that checks and drops the lines, as the S3 adapter does after gzip), so the figure is the handler's own CPU: what the AWS SDK
 * and the wire cost is not in it. The reference is what no handler can avoid, measured in the same run on the same
 * records: base64 decode, UTF-8 decode and `JSON.parse` of every line. Goal: each handler at most 2× the reference.
 */
import type { KinesisStreamEvent, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { ArchiveObjectNotFoundError, FleetSimulation, STREAM_MAPPINGS, assertNdjsonLines, type ArchiveStore, type StreamServiceName } from '@wildrydes/domain';
import { AGGREGATION_TOKENS, createAggregationContainer, readAggregationConfig } from '@wildrydes/aggregation';
import { ARCHIVAL_TOKENS, createArchivalContainer, readArchivalConfig } from '@wildrydes/archival';
import { HEALTH_TOKENS, createHealthContainer, readHealthConfig } from '@wildrydes/health';
import {
  InMemoryAlertPublisher, InMemoryHealthStore, InMemoryQuarantine, InMemorySummaryPublisher, InMemorySummaryStore, kinesisRecord,
} from '@wildrydes/test-kit';

const quick = process.argv.includes('--quick');
const UNICORNS = 1_000;
const SECONDS = quick ? 50 : 100;
const RUNS = quick ? 3 : 7;
const START = Date.UTC(2026, 10, 22, 10, 0, 0);
const SHARD = 'shardId-000000000000';
const WINDOW = { start: '2026-11-22T10:00:00Z', end: '2026-11-22T10:15:00Z' };

type Handler = (event: KinesisStreamEvent) => Promise<unknown>;

/** The fleet's readings as Lambda delivers them: one record per reading, or `pack` readings of a unicorn per record. */
function events(pack: number, batchSize: number): KinesisStreamEvent[] {
  const sim = new FleetSimulation({ seed: 1, unicorns: UNICORNS, startTime: START });
  const pending = new Map<string, string[]>();
  const records: { data: string; key: string; arrival: number }[] = [];
  for (let s = 0; s < SECONDS; s++) {
    for (const r of sim.tick()) {
      const lines = pending.get(r.partitionKey) ?? [];
      lines.push(r.data.endsWith('\n') ? r.data : `${r.data}\n`);
      if (lines.length < pack) pending.set(r.partitionKey, lines);
      else {
        pending.delete(r.partitionKey);
        records.push({ data: lines.join(''), key: r.partitionKey, arrival: START + s * 1000 + 500 });
      }
    }
  }
  const out: KinesisStreamEvent[] = [];
  for (let i = 0; i < records.length; i += batchSize) {
    out.push({
      Records: records.slice(i, i + batchSize).map((r, j) => kinesisRecord(r.data, { sequenceNumber: String(1_000_000n + BigInt(i + j)), partitionKey: r.key, shardId: SHARD, arrival: r.arrival })),
    });
  }
  return out;
}

const readingsIn = (batches: readonly KinesisStreamEvent[]): number =>
  batches.reduce((n, e) => n + e.Records.reduce((m, r) => m + Buffer.from(r.kinesis.data, 'base64').toString('utf8').split('\n').filter((l) => l !== '').length, 0), 0);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function measure(run: () => Promise<void>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = cpuMs();
  await run();
  return cpuMs() - before;
}

const utf8 = new TextDecoder();
async function reference(batches: readonly KinesisStreamEvent[]): Promise<void> {
  let sink = 0;
  for (const event of batches) {
    for (const record of event.Records) {
      const text = utf8.decode(Buffer.from(record.kinesis.data, 'base64'));
      for (const line of text.split('\n')) if (line !== '') sink += (JSON.parse(line) as { MagicPoints: number }).MagicPoints;
    }
  }
  if (sink === -1) console.log('');
}

const quiet = { POWERTOOLS_LOG_LEVEL: 'ERROR' };
// Powertools reads these from the process: no log lines and no EMF metric lines among the figures.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const clock = (): number => START + SECONDS * 1000;

/** A fresh instance of each handler per run, as a cold Lambda would be: state built up within the run only. */
const handlers: Record<StreamServiceName, () => (batches: readonly KinesisStreamEvent[]) => Promise<void>> = {
  health: () => {
    const handler = createHealthContainer(readHealthConfig(quiet), {}, {
      healthStore: new InMemoryHealthStore(), alertPublisher: new InMemoryAlertPublisher(), clock,
    }).get<Handler>(HEALTH_TOKENS.TrackHealthHandler);
    return async (batches) => { for (const event of batches) await handler(event); };
  },
  aggregation: () => {
    const handler = createAggregationContainer(readAggregationConfig(quiet), {}, {
      summaryStore: new InMemorySummaryStore(), summaryPublisher: new InMemorySummaryPublisher(), clock,
    }).get<(event: KinesisStreamTumblingWindowEvent) => Promise<{ state: Record<string, unknown> }>>(AGGREGATION_TOKENS.AggregateMinutesHandler);
    return async (batches) => {
      // One tumbling window: each invocation gets the state the previous one returned, as Lambda passes it.
      let state: Record<string, unknown> | undefined;
      for (const event of batches) {
        const response = await handler({ ...event, window: WINDOW, ...(state === undefined ? {} : { state }), shardId: SHARD, eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/wildrydes', isFinalInvokeForWindow: false, isWindowTerminatedEarly: false } as KinesisStreamTumblingWindowEvent);
        state = response.state;
      }
      await handler({ Records: [], window: WINDOW, state, shardId: SHARD, eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/wildrydes', isFinalInvokeForWindow: true, isWindowTerminatedEarly: false } as unknown as KinesisStreamTumblingWindowEvent);
    };
  },
  archival: () => {
    const handler = createArchivalContainer(readArchivalConfig(quiet), {}, {
      archiveStore: new DiscardingArchiveStore(), quarantine: new InMemoryQuarantine(), clock,
    }).get<Handler>(ARCHIVAL_TOKENS.ArchiveReadingsHandler);
    return async (batches) => { for (const event of batches) await handler(event); };
  },
};

/**
 * The archive port as the S3 adapter uses it — lines checked, then handed on and dropped — without the wire. The
 * test kit's fake keeps every line of the run, and collecting that growing heap cost more than the handler itself.
 */
class DiscardingArchiveStore implements ArchiveStore {
  async write(key: string, lines: readonly string[]): Promise<void> {
    assertNdjsonLines(key, lines);
  }
  async read(key: string): Promise<string[]> { throw new ArchiveObjectNotFoundError(key); }
  async *list(): AsyncGenerator<string, void, undefined> { /* nothing is kept */ }
}

// The least CPU of the runs: on a shared machine noise (another process's cache use, a GC that another run's garbage
// started) only ever adds, so the best run is the steadiest figure, for the reference and the handlers alike.
const best = (xs: readonly number[]): number => Math.min(...xs);

// `--only archival` measures one handler (e.g. under --cpu-prof).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const services = (Object.keys(handlers) as StreamServiceName[]).filter((name) => only === undefined || name === only);
if (services.length === 0) throw new Error(`--only ${only}: not a stream service (${Object.keys(handlers).join(', ')})`);
for (const pack of [1, 25]) {
  const batchesOf = new Map(services.map((name) => [name, events(pack, STREAM_MAPPINGS[name].batchSize)]));
  const batches = batchesOf.get('health') ?? events(pack, STREAM_MAPPINGS.health.batchSize);
  const readings = readingsIn(batches);
  const runs: Record<string, number[]> = { reference: [] };
  for (let run = 0; run < RUNS; run++) {
    runs.reference!.push(await measure(() => reference(batches)));
    for (const name of services) {
      const process = handlers[name]();
      (runs[name] ??= []).push(await measure(() => process(batchesOf.get(name)!)));
    }
  }
  const ref = best(runs.reference!);
  const perReading = (ms: number): string => `${((ms * 1000) / readings).toFixed(2).padStart(6)} µs`;
  console.log(`handler CPU, ${pack === 1 ? 'unpacked' : `packed ×${pack}`}: ${readings.toLocaleString('en')} readings from ${UNICORNS} unicorns, best of ${RUNS}`);
  console.log(`  reference (base64 + UTF-8 + JSON.parse): ${perReading(ref)} per reading`);
  for (const name of services) {
    const ms = best(runs[name]!);
    console.log(`  ${name.padEnd(12)} ${perReading(ms)} per reading = ${(ms / ref).toFixed(2)}× the reference (goal ≤ 2), events of up to ${STREAM_MAPPINGS[name].batchSize.toLocaleString('en')} records`);
  }
}
