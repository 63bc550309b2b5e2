import { describe, expect, it } from 'vitest';
import { costPerMillionReadings, workshopCostPerMillionReadings, type CostBreakdown } from './cost-model';
import {
  emptyDynamoDbTableUsage, emptyEventBridgeBusUsage, emptyKinesisStreamUsage, emptyLambdaFunctionUsage, emptyS3BucketUsage,
  emptyServiceUsage, emptySqsQueueUsage, type MeterTotals, type ServiceUsage,
} from './meter-totals';
import { CostModelInputError, PriceFileInvalidError } from './meter.errors';
import { GB, pricesFrom, US_EAST_1_PRICES, type Prices } from './prices';

/** Round prices, so every expectation below can be worked out by hand. */
const PRICES: Prices = {
  kinesis: { provisionedShardHour: 0.01, putPayloadUnitsPerMillion: 1, onDemandStreamHour: 0.05, onDemandIngestPerGb: 0.1, onDemandRetrievalPerGb: 0.05 },
  lambda: { requestsPerMillion: 0.2, arm64GbSecond: 0.00001, x86GbSecond: 0.00002 },
  dynamodb: { writeRequestUnitsPerMillion: 1, readRequestUnitsPerMillion: 0.25 },
  s3: { putCopyPostListPerThousand: 0.005, getSelectAndOtherPerThousand: 0.0004, standardGbMonth: 0.02 },
  eventbridge: { customEventsPerMillion: 1 },
  sqs: { standardRequestsPerMillion: 0.4 },
  analytics: { kpuHour: 0.1, managedFlinkOrchestrationKpus: 1, sqlApplicationOrchestrationKpus: 0, runningStorageGbMonth: 0.1 },
  firehose: { ingestPerGb: 0.03, recordRoundingBytes: 5120 },
};

/** PRICES in the price file's shape. */
const PRICE_FILE_LIKE = Object.fromEntries(Object.entries(PRICES).map(([section, values]) => [
  section, Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])),
]));

const service = (usage: Partial<ServiceUsage>): ServiceUsage => ({ ...emptyServiceUsage(), ...usage });

/** A run of 1,000 readings, one hour: a producer, the health service reading the stream, aggregation writing summaries. */
const TOTALS: MeterTotals = {
  services: {
    producer: service({ kinesis: { wildrydes: { ...emptyKinesisStreamUsage(), records: 1000, bytes: 187_000, putPayloadUnits: 1000, onDemandBilledKb: 1000 } } }),
    health: service({
      kinesis: { wildrydes: { ...emptyKinesisStreamUsage(), getRecordsCalls: 10, recordsRead: 1000, bytesRead: GB / 4 } },
      eventbridge: { wildrydes: { ...emptyEventBridgeBusUsage(), entries: 4, eventUnits: 5 } },
      lambda: { 'track-health': { ...emptyLambdaFunctionUsage(), invocations: 10, gbSeconds: 2 } },
    }),
    aggregation: service({ dynamodb: { UnicornSensorData: { ...emptyDynamoDbTableUsage(), writeRequestUnits: 20, readRequestUnits: 10 } } }),
    archival: service({ s3: { 'wildrydes-data': { ...emptyS3BucketUsage(), putClassRequests: 4, getClassRequests: 2, bytesPut: GB / 2 } } }),
    alerts: service({ sqs: { 'unicorn-alerts': { ...emptySqsQueueUsage(), requests: 3, requestUnits: 3 } } }),
  },
  unmetered: { calls: 0, reasons: [] },
};

const line = (cost: CostBreakdown, resource: string, item: string) => cost.lines.find((l) => l.resource === resource && l.item.startsWith(item));

describe('costPerMillionReadings', () => {
  it('prices a provisioned run per service and resource, the shard-hours prorated and charged once per stream', () => {
    // Act
    const cost = costPerMillionReadings(TOTALS, { readings: 1000, durationSeconds: 1800, shards: 2, kinesisMode: 'provisioned' }, PRICES);

    // Assess: each line by hand.
    const expected = {
      shardHours: 2 * 0.5 * 0.01, // 2 shards × ½ h
      ppu: 1000 * 1e-6,
      wru: 20 * 1e-6,
      rru: 10 * 0.25e-6,
      lambda: 10 * 0.2e-6 + 2 * 0.00001, // requests + arm64 GB-s
      events: 5 * 1e-6,
      s3: 4 * 0.005e-3 + 2 * 0.0004e-3 + 0.5 * 0.02, // ½ GB kept a month
      sqs: 3 * 0.4e-6,
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(line(cost, 'wildrydes', 'shard-hours')).toMatchObject({ service: '(shared)', quantity: 1, dollars: expected.shardHours });
    expect(line(cost, 'wildrydes', 'PUT payload units')).toMatchObject({ service: 'producer', quantity: 1000, dollars: expected.ppu });
    expect(cost.byService['aggregation']?.dollars).toBeCloseTo(expected.wru + expected.rru, 15);
    expect(cost.byService['health']?.dollars).toBeCloseTo(expected.lambda + expected.events, 15);
    expect(cost.byService['archival']?.dollars).toBeCloseTo(expected.s3, 15);
    expect(cost.byService['alerts']?.dollars).toBeCloseTo(expected.sqs, 15);
    expect(cost.byResource['kinesis:wildrydes']?.dollars).toBeCloseTo(expected.shardHours + expected.ppu, 15);
    expect(cost.totalDollars).toBeCloseTo(total, 15);
    expect(cost.totalPerMillionReadings).toBeCloseTo(total * 1000, 12);
    // Reads are free in provisioned mode: no line for them.
    expect(line(cost, 'wildrydes', 'GB retrieved')).toBeUndefined();
  });

  it('prices an on-demand run by stream-hours, KB-rounded ingestion and retrieval', () => {
    // Act
    const cost = costPerMillionReadings(TOTALS, { readings: 1000, durationSeconds: 7200, shards: {}, kinesisMode: 'on-demand' }, PRICES);

    // Assess
    expect(line(cost, 'wildrydes', 'stream-hours')).toMatchObject({ quantity: 2, dollars: 2 * 0.05 });
    expect(line(cost, 'wildrydes', 'GB ingested')).toMatchObject({ service: 'producer', quantity: (1000 * 1024) / GB });
    expect(line(cost, 'wildrydes', 'GB ingested')?.dollars).toBeCloseTo(((1000 * 1024) / GB) * 0.1, 15);
    expect(line(cost, 'wildrydes', 'GB retrieved')).toMatchObject({ service: 'health', quantity: 0.25, dollars: 0.25 * 0.05 });
    expect(line(cost, 'wildrydes', 'PUT payload units')).toBeUndefined();
  });

  it('uses x86_64 GB-seconds and a longer S3 retention when asked', () => {
    const cost = costPerMillionReadings(TOTALS, { readings: 1000, durationSeconds: 0, shards: 1, kinesisMode: 'provisioned', lambdaArchitecture: 'x86_64', s3StorageMonths: 3 }, PRICES);
    expect(line(cost, 'track-health', 'GB-seconds')?.dollars).toBeCloseTo(2 * 0.00002, 15);
    expect(line(cost, 'wildrydes-data', 'GB-months')).toMatchObject({ quantity: 1.5 });
  });

  it('takes a shard count per stream', () => {
    const cost = costPerMillionReadings(TOTALS, { readings: 1000, durationSeconds: 3600, shards: { wildrydes: 4 }, kinesisMode: 'provisioned' }, PRICES);
    expect(line(cost, 'wildrydes', 'shard-hours')).toMatchObject({ quantity: 4 });
  });

  it.each([
    { name: 'no readings', run: { readings: 0, durationSeconds: 60, shards: 1 } },
    { name: 'a negative duration', run: { readings: 10, durationSeconds: -1, shards: 1 } },
    { name: 'a stream without a shard count', run: { readings: 10, durationSeconds: 60, shards: { other: 1 } } },
    { name: 'zero shards', run: { readings: 10, durationSeconds: 60, shards: 0 } },
  ])('refuses $name', ({ run }) => {
    expect(() => costPerMillionReadings(TOTALS, { ...run, kinesisMode: 'provisioned' }, PRICES)).toThrow(CostModelInputError);
  });
});

describe('workshopCostPerMillionReadings', () => {
  it('prices the workshop architecture for 1,200 unicorns at 1 Hz by its formula', () => {
    // Act
    const cost = workshopCostPerMillionReadings({ unicorns: 1200, readingsPerUnicornPerSecond: 1 }, PRICES);

    // Assess: one hour, 4,320,000 readings of 187 B, 72,000 summaries.
    const readings = 1200 * 3600;
    const hourly = {
      rawShards: 2 * 0.01, // max(⌈1,200 / 800⌉ = 2, ⌈224,400 B/s / 838,861⌉ = 1)
      rawPpu: readings * 1e-6,
      kda: 1 * 0.1, // 224,400 B/s is under 5 MiB/s: 1 KPU, no orchestration KPU for SQL
      summaryShards: 1 * 0.01,
      summaryPpu: 72_000 * 1e-6,
      lambda: 60 * 12 * 0.2e-6 + 60 * 12 * 0.125 * 0.1 * 0.00002, // ⌈1,200 / 100⌉ = 12 invocations a minute, 128 MB × 100 ms, x86_64
      dynamodb: 72_000 * 1e-6,
      firehose: ((readings * 5120) / GB) * 0.03,
      s3Puts: 155 * 0.005e-3, // ⌈807,840,000 B / 5 MiB⌉ = 155 flushes
      s3Storage: ((readings * 187) / GB) * 0.02,
    };
    const total = Object.values(hourly).reduce((a, b) => a + b, 0);
    expect(cost.readings).toBe(readings);
    expect(line(cost, 'wildrydes', 'shard-hours')).toMatchObject({ quantity: 2 });
    expect(line(cost, 'kinesis-analytics-sql-application', 'KPU-hours')).toMatchObject({ quantity: 1 });
    expect(line(cost, 'WildRydesStreamProcessor', 'requests')).toMatchObject({ quantity: 720 });
    expect(line(cost, 'wildrydes-data', 'PUT')).toMatchObject({ quantity: 155 });
    expect(cost.byService['archive']?.dollars).toBeCloseTo(hourly.firehose + hourly.s3Puts + hourly.s3Storage, 12);
    expect(cost.totalDollars).toBeCloseTo(total, 12);
    expect(cost.totalPerMillionReadings).toBeCloseTo((total * 1e6) / readings, 12);
  });

  it('adds the orchestration KPU for Managed Service for Apache Flink and sizes KPUs by throughput', () => {
    // 30,000 unicorns × 1 Hz × 187 B = 5.35 MiB/s → 2 KPUs, + 1 orchestration; the raw stream is record-bound: ⌈30,000 / 800⌉ = 38 shards.
    const cost = workshopCostPerMillionReadings({ unicorns: 30_000, readingsPerUnicornPerSecond: 1, analytics: 'managed-flink' }, PRICES);
    expect(line(cost, 'managed-flink-application', 'KPU-hours')).toMatchObject({ quantity: 3 });
    expect(line(cost, 'managed-flink-application', 'KPU-hours')?.dollars).toBeCloseTo(3 * 0.1, 15);
    expect(line(cost, 'wildrydes', 'shard-hours')).toMatchObject({ quantity: 38 });
    expect(line(cost, 'wildrydes-summary', 'shard-hours')).toMatchObject({ quantity: 1 });
  });

  it('reproduces the reference paper model with the us-east-1 prices: ≈ $0.21 / M at 1,000 unicorns, ≈ $0.174 / M at 100,000', () => {
    // /work/shared/reference/aws-limits-and-baselines.md §A.8: workshop v2, 0.210 and 0.174 per million records.
    expect(workshopCostPerMillionReadings({ unicorns: 1000, readingsPerUnicornPerSecond: 1 }, US_EAST_1_PRICES).totalPerMillionReadings).toBeCloseTo(0.21, 2);
    expect(workshopCostPerMillionReadings({ unicorns: 100_000, readingsPerUnicornPerSecond: 1 }, US_EAST_1_PRICES).totalPerMillionReadings).toBeCloseTo(0.174, 3);
  });

  it('refuses a fleet without unicorns', () => {
    expect(() => workshopCostPerMillionReadings({ unicorns: 0, readingsPerUnicornPerSecond: 1 }, PRICES)).toThrow(CostModelInputError);
  });
});

describe('the price file', () => {
  it('documents every price with its unit, sources and the date it was read', async () => {
    const { default: file } = await import('./us-east-1-prices.json');
    const entries = Object.values(file.prices).flatMap((section) => Object.values(section)) as { unit?: string; sources?: string[]; read?: string; evidence?: string }[];
    for (const entry of entries) {
      expect(entry).toMatchObject({ unit: expect.any(String), read: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), evidence: expect.stringMatching(/^(aws|secondary|unverified)$/) });
      expect(entry.sources?.length).toBeGreaterThan(0);
    }
    expect(US_EAST_1_PRICES.dynamodb).toEqual({ writeRequestUnitsPerMillion: 0.625, readRequestUnitsPerMillion: 0.125 });
  });

  it.each([
    { name: 'no prices object', file: {} },
    { name: 'a missing price', file: { prices: { kinesis: {} } } },
    { name: 'a negative price', file: { prices: { ...structuredClone(PRICE_FILE_LIKE), dynamodb: { writeRequestUnitsPerMillion: { value: -1 }, readRequestUnitsPerMillion: { value: 1 } } } } },
  ])('is refused with $name', ({ file }) => {
    expect(() => pricesFrom(file)).toThrow(PriceFileInvalidError);
  });
});
