import pricesFile from './us-east-1-prices.json' with { type: 'json' };
import { PriceFileInvalidError } from './meter.errors';

/** The prices the cost model needs, by section; `Prices` is derived from this list so the two cannot drift. */
export const PRICE_KEYS = {
  kinesis: ['provisionedShardHour', 'putPayloadUnitsPerMillion', 'onDemandStreamHour', 'onDemandIngestPerGb', 'onDemandRetrievalPerGb'],
  lambda: ['requestsPerMillion', 'arm64GbSecond', 'x86GbSecond'],
  dynamodb: ['writeRequestUnitsPerMillion', 'readRequestUnitsPerMillion'],
  s3: ['putCopyPostListPerThousand', 'getSelectAndOtherPerThousand', 'standardGbMonth'],
  eventbridge: ['customEventsPerMillion'],
  sqs: ['standardRequestsPerMillion'],
  analytics: ['kpuHour', 'managedFlinkOrchestrationKpus', 'sqlApplicationOrchestrationKpus', 'runningStorageGbMonth'],
  firehose: ['ingestPerGb', 'recordRoundingBytes'],
} as const;

/** Prices in USD per the unit their name gives (per shard-hour, per million units, per GB, ...); see us-east-1-prices.json. */
export type Prices = { readonly [S in keyof typeof PRICE_KEYS]: { readonly [K in (typeof PRICE_KEYS)[S][number]]: number } };

/** Bytes in the GB that AWS bills data in. */
export const GB = 2 ** 30;

/**
 * The numbers of a price file (`{ prices: { section: { name: { value, unit, sources, read, ... } } } }`), checked:
 * every price the model needs is there and is a finite, non-negative number.
 */
export function pricesFrom(file: unknown): Prices {
  const sections = (file as { prices?: Record<string, Record<string, { value?: unknown } | undefined> | undefined> } | null)?.prices;
  if (sections === undefined) throw new PriceFileInvalidError('the price file has no "prices" object');
  const prices: Record<string, Record<string, number>> = {};
  for (const [section, keys] of Object.entries(PRICE_KEYS)) {
    prices[section] = {};
    for (const key of keys) {
      const value = sections[section]?.[key]?.value;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new PriceFileInvalidError(`prices.${section}.${key}.value is ${JSON.stringify(value)}, not a finite non-negative number`);
      }
      prices[section][key] = value;
    }
  }
  return prices as unknown as Prices;
}

/** AWS list prices in us-east-1, as documented (with sources and dates) in us-east-1-prices.json. */
export const US_EAST_1_PRICES: Prices = pricesFrom(pricesFile);
