import { CostModelInputError } from './meter.errors';
import type { MeterTotals } from './meter-totals';
import { GB, type Prices } from './prices';

/** One priced quantity: what, for whom, how much, at what price. */
export interface CostLine {
  /** The service label the usage was metered under; `(shared)` for a stream's hourly charge, which no one service owns. */
  readonly service: string;
  readonly kind: 'kinesis' | 'lambda' | 'dynamodb' | 's3' | 'eventbridge' | 'sqs' | 'analytics' | 'firehose';
  readonly resource: string;
  /** What is priced, in the unit `quantity` counts: 'shard-hours', 'write request units', 'GB ingested', ... */
  readonly item: string;
  readonly quantity: number;
  readonly usdPerUnit: number;
  readonly dollars: number;
  readonly perMillionReadings: number;
}

export interface CostSum {
  readonly dollars: number;
  readonly perMillionReadings: number;
}

export interface CostBreakdown {
  /** The readings the dollars were spent on. */
  readonly readings: number;
  readonly lines: readonly CostLine[];
  readonly byService: Readonly<Record<string, CostSum>>;
  /** Keyed `kind:resource` (`dynamodb:UnicornSensorData`), across services. */
  readonly byResource: Readonly<Record<string, CostSum>>;
  readonly totalDollars: number;
  readonly totalPerMillionReadings: number;
}

export interface MeasuredRun {
  /** Telemetry readings the run processed. */
  readonly readings: number;
  /** How long the run lasted: hourly charges (shards, streams) are prorated over it. */
  readonly durationSeconds: number;
  /** Provisioned shards, for every stream or per stream name. Ignored in on-demand mode. */
  readonly shards: number | Readonly<Record<string, number>>;
  readonly kinesisMode: 'provisioned' | 'on-demand';
  /** Default arm64, as the project deploys. */
  readonly lambdaArchitecture?: 'arm64' | 'x86_64';
  /** How long the bytes put in S3 stay stored, in months. Default 1. */
  readonly s3StorageMonths?: number;
}

const PER_MILLION = 1e-6;
const PER_THOUSAND = 1e-3;

/** Collects lines, dropping those of zero quantity, and sums them. */
function breakdown(readings: number, lines: readonly Omit<CostLine, 'dollars' | 'perMillionReadings'>[]): CostBreakdown {
  const perMillion = (dollars: number) => (dollars * 1e6) / readings;
  const priced = lines.filter((line) => line.quantity !== 0).map((line) => {
    const dollars = line.quantity * line.usdPerUnit;
    return { ...line, dollars, perMillionReadings: perMillion(dollars) };
  });
  const sumBy = (key: (line: CostLine) => string) => {
    const sums: Record<string, CostSum> = {};
    for (const line of priced) {
      const previous = sums[key(line)] ?? { dollars: 0, perMillionReadings: 0 };
      sums[key(line)] = { dollars: previous.dollars + line.dollars, perMillionReadings: previous.perMillionReadings + line.perMillionReadings };
    }
    return sums;
  };
  const totalDollars = priced.reduce((sum, line) => sum + line.dollars, 0);
  return {
    readings,
    lines: priced,
    byService: sumBy((line) => line.service),
    byResource: sumBy((line) => `${line.kind}:${line.resource}`),
    totalDollars,
    totalPerMillionReadings: perMillion(totalDollars),
  };
}

function shardsOf(stream: string, shards: MeasuredRun['shards']): number {
  const count = typeof shards === 'number' ? shards : shards[stream];
  if (count === undefined || !Number.isInteger(count) || count < 1) {
    throw new CostModelInputError(`no shard count for stream ${stream} (give shards as a number, or one per stream)`);
  }
  return count;
}

/**
 * Dollars of a metered run, per service and resource, and per million readings. Usage charges come from the
 * meter's units; hourly charges (a provisioned stream's shard-hours, an on-demand stream's stream-hours) are
 * prorated over `durationSeconds` and charged once per stream, under the service label `(shared)`.
 * Not priced: DynamoDB storage, free tiers, volume tiers, data transfer (free within the region), CloudWatch.
 */
export function costPerMillionReadings(totals: MeterTotals, run: MeasuredRun, prices: Prices): CostBreakdown {
  if (!(run.readings > 0)) throw new CostModelInputError(`readings must be positive, not ${run.readings}`);
  if (!(run.durationSeconds >= 0)) throw new CostModelInputError(`durationSeconds must be zero or more, not ${run.durationSeconds}`);
  const hours = run.durationSeconds / 3600;
  const gbSecondPrice = run.lambdaArchitecture === 'x86_64' ? prices.lambda.x86GbSecond : prices.lambda.arm64GbSecond;
  const storageMonths = run.s3StorageMonths ?? 1;
  const onDemand = run.kinesisMode === 'on-demand';
  const lines: Omit<CostLine, 'dollars' | 'perMillionReadings'>[] = [];
  const streams = new Set<string>();

  for (const [service, usage] of Object.entries(totals.services)) {
    for (const [table, u] of Object.entries(usage.dynamodb)) {
      lines.push({ service, kind: 'dynamodb', resource: table, item: 'write request units', quantity: u.writeRequestUnits, usdPerUnit: prices.dynamodb.writeRequestUnitsPerMillion * PER_MILLION });
      lines.push({ service, kind: 'dynamodb', resource: table, item: 'read request units', quantity: u.readRequestUnits, usdPerUnit: prices.dynamodb.readRequestUnitsPerMillion * PER_MILLION });
    }
    for (const [stream, u] of Object.entries(usage.kinesis)) {
      streams.add(stream);
      if (onDemand) {
        lines.push({ service, kind: 'kinesis', resource: stream, item: 'GB ingested (records rounded up to 1 KB)', quantity: (u.onDemandBilledKb * 1024) / GB, usdPerUnit: prices.kinesis.onDemandIngestPerGb });
        lines.push({ service, kind: 'kinesis', resource: stream, item: 'GB retrieved', quantity: u.bytesRead / GB, usdPerUnit: prices.kinesis.onDemandRetrievalPerGb });
      } else {
        lines.push({ service, kind: 'kinesis', resource: stream, item: 'PUT payload units', quantity: u.putPayloadUnits, usdPerUnit: prices.kinesis.putPayloadUnitsPerMillion * PER_MILLION });
      }
    }
    for (const [bucket, u] of Object.entries(usage.s3)) {
      lines.push({ service, kind: 's3', resource: bucket, item: 'PUT, COPY, POST, LIST requests', quantity: u.putClassRequests, usdPerUnit: prices.s3.putCopyPostListPerThousand * PER_THOUSAND });
      lines.push({ service, kind: 's3', resource: bucket, item: 'GET and other requests', quantity: u.getClassRequests, usdPerUnit: prices.s3.getSelectAndOtherPerThousand * PER_THOUSAND });
      lines.push({ service, kind: 's3', resource: bucket, item: `GB-months stored (bytes put, kept ${storageMonths} month(s))`, quantity: (u.bytesPut / GB) * storageMonths, usdPerUnit: prices.s3.standardGbMonth });
    }
    for (const [bus, u] of Object.entries(usage.eventbridge)) {
      lines.push({ service, kind: 'eventbridge', resource: bus, item: 'events (64 KB chunks)', quantity: u.eventUnits, usdPerUnit: prices.eventbridge.customEventsPerMillion * PER_MILLION });
    }
    for (const [queue, u] of Object.entries(usage.sqs)) {
      lines.push({ service, kind: 'sqs', resource: queue, item: 'requests (64 KB chunks)', quantity: u.requestUnits, usdPerUnit: prices.sqs.standardRequestsPerMillion * PER_MILLION });
    }
    for (const [fn, u] of Object.entries(usage.lambda)) {
      lines.push({ service, kind: 'lambda', resource: fn, item: 'requests', quantity: u.invocations, usdPerUnit: prices.lambda.requestsPerMillion * PER_MILLION });
      lines.push({ service, kind: 'lambda', resource: fn, item: `GB-seconds (${run.lambdaArchitecture ?? 'arm64'})`, quantity: u.gbSeconds, usdPerUnit: gbSecondPrice });
    }
  }
  for (const stream of [...streams].sort()) {
    lines.push(onDemand
      ? { service: '(shared)', kind: 'kinesis', resource: stream, item: 'stream-hours', quantity: hours, usdPerUnit: prices.kinesis.onDemandStreamHour }
      : { service: '(shared)', kind: 'kinesis', resource: stream, item: 'shard-hours', quantity: shardsOf(stream, run.shards) * hours, usdPerUnit: prices.kinesis.provisionedShardHour });
  }
  return breakdown(run.readings, lines);
}

/** The original workshop's architecture under a steady load (see `workshopCostPerMillionReadings`). */
export interface WorkshopScenario {
  readonly unicorns: number;
  readonly readingsPerUnicornPerSecond: number;
  /** Bytes of one reading as the workshop's producer.go writes it. Default 187 (measured, reference §B). */
  readonly recordBytes?: number;
  /** Bytes of one minute summary, on the summary stream and as a DynamoDB item. Default 250 (well under 1 KB: 1 WRU). */
  readonly summaryBytes?: number;
  /** The original Kinesis Data Analytics for SQL (default), or its replacement, Managed Service for Apache Flink. */
  readonly analytics?: 'kinesis-data-analytics-sql' | 'managed-flink';
  /** KPUs of the application. Default max(1, ⌈input MiB/s ÷ 5⌉), after AWS's MSF sizing guidance (reference §A.6). */
  readonly kpus?: number;
  /** Share of a shard's limits provisioned shards are sized to. Default 0.8. */
  readonly shardUtilisation?: number;
  /** The Lambda that writes summaries to DynamoDB: ESM batch size 100, 100 ms, 128 MB, x86_64 by default. */
  readonly lambda?: { readonly batchSize?: number; readonly durationMs?: number; readonly memoryMb?: number; readonly architecture?: 'arm64' | 'x86_64' };
  /** Firehose buffering hints: 300 s and 5 MiB by default; each flush is one S3 PUT. */
  readonly firehoseBufferSeconds?: number;
  readonly firehoseBufferMb?: number;
  /** How long the raw data stays in S3, in months. Default 1. */
  readonly s3StorageMonths?: number;
}

/** Kinesis shard write limits (reference §A.1). */
const SHARD_RECORDS_PER_SECOND = 1000;
const SHARD_BYTES_PER_SECOND = 2 ** 20;
/** KDA emits every unicorn's summary at the minute boundary; the summary stream drains that burst within 30 s. */
const SUMMARY_BURST_SECONDS = 30;
const PPU_BYTES = 25 * 1024;
const MIB = 2 ** 20;

/**
 * The workshop's own architecture, priced per million readings over one hour of steady traffic, as a formula
 * (R = unicorns × readings per unicorn per second; N = unicorns; b = record bytes; u = shard utilisation):
 * - raw stream `wildrydes`: max(1, ⌈R / (1,000 u)⌉, ⌈R b / (1 MiB u)⌉) shard-hours, R × 3,600 × ⌈b / 25 KB⌉ PUT payload units;
 * - analytics: KPUs (+ 1 orchestration KPU for Managed Flink) × 1 hour;
 * - summary stream `wildrydes-summary`: max(1, ⌈N / 30,000⌉) shard-hours, 60 N summaries × 1 PUT payload unit;
 * - summary writer Lambda: 60 × ⌈N / batch size⌉ invocations of `durationMs` at `memoryMb`;
 * - DynamoDB `UnicornSensorData`: 60 N summaries × ⌈summary bytes / 1 KB⌉ WRU (one write each);
 * - Firehose: R × 3,600 records × ⌈b / 5 KB⌉ × 5 KB, in GB;
 * - S3: one PUT per Firehose flush, max(3,600 / buffer seconds, ⌈R b 3,600 / buffer MiB⌉), and R b 3,600 bytes stored for `s3StorageMonths`.
 */
export function workshopCostPerMillionReadings(scenario: WorkshopScenario, prices: Prices): CostBreakdown {
  const { unicorns, readingsPerUnicornPerSecond } = scenario;
  if (!(unicorns > 0) || !(readingsPerUnicornPerSecond > 0)) {
    throw new CostModelInputError(`unicorns (${unicorns}) and readingsPerUnicornPerSecond (${readingsPerUnicornPerSecond}) must be positive`);
  }
  const recordBytes = scenario.recordBytes ?? 187;
  const summaryBytes = scenario.summaryBytes ?? 250;
  const utilisation = scenario.shardUtilisation ?? 0.8;
  const { batchSize = 100, durationMs = 100, memoryMb = 128, architecture = 'x86_64' } = scenario.lambda ?? {};
  const bufferSeconds = scenario.firehoseBufferSeconds ?? 300;
  const bufferBytes = (scenario.firehoseBufferMb ?? 5) * MIB;
  const storageMonths = scenario.s3StorageMonths ?? 1;
  const flink = scenario.analytics === 'managed-flink';

  const perSecond = unicorns * readingsPerUnicornPerSecond;
  const readings = perSecond * 3600;
  const bytesPerHour = readings * recordBytes;
  const summaries = unicorns * 60;
  const rawShards = Math.max(1, Math.ceil(perSecond / (SHARD_RECORDS_PER_SECOND * utilisation)), Math.ceil((perSecond * recordBytes) / (SHARD_BYTES_PER_SECOND * utilisation)));
  const summaryShards = Math.max(1, Math.ceil(unicorns / (SHARD_RECORDS_PER_SECOND * SUMMARY_BURST_SECONDS)));
  const kpus = scenario.kpus ?? Math.max(1, Math.ceil((perSecond * recordBytes) / MIB / 5));
  const orchestration = flink ? prices.analytics.managedFlinkOrchestrationKpus : prices.analytics.sqlApplicationOrchestrationKpus;
  const invocations = 60 * Math.ceil(unicorns / batchSize);
  const rounding = prices.firehose.recordRoundingBytes;
  const objects = Math.max(Math.ceil(3600 / bufferSeconds), Math.ceil(bytesPerHour / bufferBytes));

  return breakdown(readings, [
    { service: 'ingestion', kind: 'kinesis', resource: 'wildrydes', item: 'shard-hours', quantity: rawShards, usdPerUnit: prices.kinesis.provisionedShardHour },
    { service: 'ingestion', kind: 'kinesis', resource: 'wildrydes', item: 'PUT payload units', quantity: readings * Math.ceil(recordBytes / PPU_BYTES), usdPerUnit: prices.kinesis.putPayloadUnitsPerMillion * PER_MILLION },
    { service: 'analytics', kind: 'analytics', resource: flink ? 'managed-flink-application' : 'kinesis-analytics-sql-application', item: 'KPU-hours', quantity: kpus + orchestration, usdPerUnit: prices.analytics.kpuHour },
    { service: 'analytics', kind: 'kinesis', resource: 'wildrydes-summary', item: 'shard-hours', quantity: summaryShards, usdPerUnit: prices.kinesis.provisionedShardHour },
    { service: 'analytics', kind: 'kinesis', resource: 'wildrydes-summary', item: 'PUT payload units', quantity: summaries * Math.ceil(summaryBytes / PPU_BYTES), usdPerUnit: prices.kinesis.putPayloadUnitsPerMillion * PER_MILLION },
    { service: 'summary-writer', kind: 'lambda', resource: 'WildRydesStreamProcessor', item: 'requests', quantity: invocations, usdPerUnit: prices.lambda.requestsPerMillion * PER_MILLION },
    { service: 'summary-writer', kind: 'lambda', resource: 'WildRydesStreamProcessor', item: `GB-seconds (${architecture})`, quantity: invocations * (memoryMb / 1024) * (durationMs / 1000), usdPerUnit: architecture === 'arm64' ? prices.lambda.arm64GbSecond : prices.lambda.x86GbSecond },
    { service: 'summary-writer', kind: 'dynamodb', resource: 'UnicornSensorData', item: 'write request units', quantity: summaries * Math.max(1, Math.ceil(summaryBytes / 1024)), usdPerUnit: prices.dynamodb.writeRequestUnitsPerMillion * PER_MILLION },
    { service: 'archive', kind: 'firehose', resource: 'wildrydes', item: `GB ingested (records rounded up to ${rounding} B)`, quantity: (readings * Math.ceil(recordBytes / rounding) * rounding) / GB, usdPerUnit: prices.firehose.ingestPerGb },
    { service: 'archive', kind: 's3', resource: 'wildrydes-data', item: 'PUT, COPY, POST, LIST requests', quantity: objects, usdPerUnit: prices.s3.putCopyPostListPerThousand * PER_THOUSAND },
    { service: 'archive', kind: 's3', resource: 'wildrydes-data', item: `GB-months stored (kept ${storageMonths} month(s))`, quantity: (bytesPerHour / GB) * storageMonths, usdPerUnit: prices.s3.standardGbMonth },
  ]);
}
