/**
 * The cost section's one seam with the billing meter: `status.json` may carry a `meter` field (the meter's
 * snapshot); these functions turn it, with the readings and seconds of the run, into the rows the report prints.
 *
 * `MeterSnapshot` is the part of the meter's totals read here (DynamoDB request units per service label and
 * table). Dollars come from the cost models in `COST_MODELS`: the meter's own cost model with us-east-1 prices.
 */
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { costPerMillionReadings, emptyKinesisStreamUsage, emptyServiceUsage, US_EAST_1_PRICES, workshopCostPerMillionReadings, type CostBreakdown, type MeterTotals } from '@wildrydes/local-aws';

export interface DynamoDbTableUnits {
  readonly writeRequestUnits: number;
  readonly readRequestUnits: number;
}

export interface MeterSnapshot {
  /** Per service label (`health`, `aggregation`, …): the usage of each resource. */
  readonly services: Readonly<Record<string, { readonly dynamodb?: Readonly<Record<string, DynamoDbTableUnits>> }>>;
}

export interface MeteredRun {
  /** Unicorns in the fleet (each sending one reading a second): the workshop's architecture is priced for the same fleet. */
  readonly unicorns?: number;
  /** Readings the run sent. */
  readonly readings: number;
  /** Kinesis records the producer put them in (its own puts are not metered: it runs as a separate process). */
  readonly records: number;
  /** How long the run sent them, s (hourly charges are prorated over it). */
  readonly seconds: number;
  /** Shards of the telemetry stream. */
  readonly shards: number;
}

/** Dollars per million readings of a metered run, in total and per AWS service (`dynamodb`, `kinesis`, `lambda`, …). */
export interface PricedRun {
  readonly perMillionReadings: number;
  readonly byKind: Readonly<Record<string, number>>;
}

export interface CostModel {
  readonly name: string;
  price(snapshot: MeterSnapshot, run: MeteredRun): PricedRun;
}

function byKind(breakdown: CostBreakdown): PricedRun {
  const kinds: Record<string, number> = {};
  for (const line of breakdown.lines) kinds[line.kind] = (kinds[line.kind] ?? 0) + line.perMillionReadings;
  return { perMillionReadings: breakdown.totalPerMillionReadings, byKind: kinds };
}

/**
 * The stack's meter sees the services' calls, not the producer's: its puts are added here, one PUT payload unit per
 * record (a packed record of 25 readings is ~4 KB, far below 25 KB) and its size in KB on demand.
 */
function withProducerPuts(snapshot: MeterSnapshot, run: MeteredRun, kbPerRecord: number): MeterTotals {
  // A snapshot from an older stack may lack resource kinds: each service gets every kind, empty unless metered.
  const services = Object.fromEntries(Object.entries(structuredClone(snapshot.services)).map(([label, usage]) => [label, { ...emptyServiceUsage(), ...usage }]));
  const totals = { ...structuredClone(snapshot), services } as unknown as MeterTotals;
  const usage = emptyServiceUsage();
  usage.kinesis[RESOURCE_NAMES.telemetryStream] = {
    ...emptyKinesisStreamUsage(), putRequests: Math.ceil(run.records / 500), records: run.records, putPayloadUnits: run.records, onDemandBilledKb: run.records * kbPerRecord,
  };
  return { ...totals, services: { ...totals.services, producer: usage } };
}

/** Provisioned shards (the telemetry stream sized by the run, the summary stream one shard), arm64 Lambdas, us-east-1 list prices. */
const usEast1Provisioned: CostModel = {
  name: 'us-east-1, provisioned shards',
  price: (snapshot, run) => byKind(costPerMillionReadings(
    withProducerPuts(snapshot, run, Math.max(1, Math.ceil((150 * run.readings) / run.records / 1024))),
    { readings: run.readings, durationSeconds: run.seconds, shards: { [RESOURCE_NAMES.telemetryStream]: run.shards, [RESOURCE_NAMES.summaryStream]: 1 }, kinesisMode: 'provisioned' },
    US_EAST_1_PRICES,
  )),
};

/** The cost models the bench prices runs with. */
export const COST_MODELS: readonly CostModel[] = [usEast1Provisioned];

export interface CostRow {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/** The snapshot when `value` has the shape read here; undefined when it is absent or malformed. */
export function asMeterSnapshot(value: unknown): MeterSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const services = (value as { services?: unknown }).services;
  if (typeof services !== 'object' || services === null) return undefined;
  for (const usage of Object.values(services)) {
    if (typeof usage !== 'object' || usage === null) return undefined;
    const tables = (usage as { dynamodb?: unknown }).dynamodb;
    if (tables === undefined) continue;
    if (typeof tables !== 'object' || tables === null) return undefined;
    for (const units of Object.values(tables)) {
      const u = units as Partial<DynamoDbTableUnits> | null;
      if (typeof u?.writeRequestUnits !== 'number' || typeof u.readRequestUnits !== 'number') return undefined;
    }
  }
  return value as MeterSnapshot;
}

/** Each DynamoDB table's counters (WRU, RRU, items written, failed conditions…), summed over the services. */
export function tableUnits(snapshot: MeterSnapshot): Record<string, Record<string, number>> {
  const tables: Record<string, Record<string, number>> = {};
  for (const usage of Object.values(snapshot.services)) {
    for (const [table, units] of Object.entries(usage.dynamodb ?? {})) {
      const sum = (tables[table] ??= {});
      for (const [name, value] of Object.entries(units)) if (typeof value === 'number') sum[name] = (sum[name] ?? 0) + value;
    }
  }
  return tables;
}

/**
 * Rows for one run: DynamoDB WRU and RRU per 1,000 readings per table (summed over services) and in total, then
 * each cost model's dollars per million readings per AWS service and in total, then (when the run names its fleet)
 * the original workshop's architecture for the same fleet at the same prices.
 */
export function costRows(meterSnapshot: MeterSnapshot, run: MeteredRun, models: readonly CostModel[] = COST_MODELS): CostRow[] {
  const { readings } = run;
  if (!(readings > 0)) throw new RangeError(`readings must be positive, got ${readings}`);
  const perThousand = (units: number): number => (units * 1000) / readings;
  const rows: CostRow[] = [];
  let wru = 0;
  let rru = 0;
  for (const [table, units] of Object.entries(tableUnits(meterSnapshot)).sort(([a], [b]) => a.localeCompare(b))) {
    const sum = { wru: units['writeRequestUnits'] ?? 0, rru: units['readRequestUnits'] ?? 0 };
    rows.push({ metric: `DynamoDB ${table} WRU`, value: perThousand(sum.wru), unit: 'per 1,000 readings' });
    rows.push({ metric: `DynamoDB ${table} RRU`, value: perThousand(sum.rru), unit: 'per 1,000 readings' });
    wru += sum.wru;
    rru += sum.rru;
  }
  rows.push({ metric: 'DynamoDB WRU, all tables', value: perThousand(wru), unit: 'per 1,000 readings' });
  rows.push({ metric: 'DynamoDB RRU, all tables', value: perThousand(rru), unit: 'per 1,000 readings' });
  for (const model of models) {
    const priced = model.price(meterSnapshot, run);
    for (const [kind, dollars] of Object.entries(priced.byKind).sort(([a], [b]) => a.localeCompare(b))) {
      rows.push({ metric: `cost (${model.name}): ${kind}`, value: dollars, unit: 'USD per million readings' });
    }
    rows.push({ metric: `cost (${model.name})`, value: priced.perMillionReadings, unit: 'USD per million readings' });
  }
  if (run.unicorns !== undefined && models.length > 0) {
    const workshop = workshopCostPerMillionReadings({ unicorns: run.unicorns, readingsPerUnicornPerSecond: 1 }, US_EAST_1_PRICES);
    rows.push({ metric: 'the workshop\'s architecture for this fleet, same prices', value: workshop.totalPerMillionReadings, unit: 'USD per million readings' });
  }
  return rows;
}
