import {
  formatStatusTime, parseStatusTime, toMinuteSummary, WINDOW_MS, type MinutePartial, type StoredSummary,
} from '@wildrydes/domain';
import { DynamoDbInvalidItemError } from './dynamodb.errors';


/**
 * The `UnicornSensorData` item of one (unicorn, minute).
 *
 * The workshop's summary attributes stay plain numbers and strings, so any reader (the consumer, the dashboard,
 * a console user) sees the summary directly. Beside them the item keeps what exact-once merging needs:
 * - `ReadingOffsets` (B): each reading's offset from the window start, in ms, as uint16 little-endian
 *   (an offset is < 60,000 < 65,536): the identity of every reading counted, 2 bytes each;
 * - `ReadingDistances` (B): each reading's distance as float64 little-endian, 8 bytes each, bit-exact, so the
 *   sum is the same whatever order partials arrive in;
 * - `LastLatitude` / `LastLongitude`: the position of the latest reading (last-writer-wins by reading time);
 * - `Version`: the optimistic-concurrency counter;
 * - `EmittedVersion`: the version last emitted to the summary stream (absent or older: the minute is pending).
 * Binary beats a List of Numbers here: a List costs 1 byte per element plus ~(digits/2 + 1) per number, about
 * 16 bytes per reading for a decimal distance, against 10. With 60 readings the item stays under 1 KB, so
 * every write is 1 WRU (measured in summary-item.mapper.test.ts).
 */
export type SummaryItem = {
  readonly Name: string;
  /** End of the window, `YYYY-MM-DD HH:MM:SS.mmm` (the sort key, as the workshop's SQL emitted it). */
  readonly StatusTime: string;
  readonly WindowStart: string;
  readonly Distance: number;
  readonly MinMagicPoints: number;
  readonly MaxMagicPoints: number;
  readonly MinHealthPoints: number;
  readonly MaxHealthPoints: number;
  readonly Readings: number;
  readonly ReadingOffsets: Uint8Array;
  readonly ReadingDistances: Uint8Array;
  readonly LastLatitude: number;
  readonly LastLongitude: number;
  readonly Version: number;
  /** Written with the item by a merge that marks it emitted (the caller publishes it next); absent otherwise. */
  readonly EmittedVersion?: number;
};

/** The sort key of a window: its end, as the workshop formatted it. */
export const summaryStatusTime = (windowStart: number): string => formatStatusTime(windowStart + WINDOW_MS);

/** The item of `partial` at `version`; `emitted` writes the emitted mark in the same item (EmittedVersion = Version). */
export function toSummaryItem(partial: MinutePartial, version: number, options: { emitted?: boolean } = {}): SummaryItem {
  const summary = toMinuteSummary(partial);
  const n = partial.offsets.length;
  const offsets = new Uint8Array(n * 2);
  const distances = new Uint8Array(n * 8);
  const offsetView = new DataView(offsets.buffer);
  const distanceView = new DataView(distances.buffer);
  for (let i = 0; i < n; i++) {
    const offset = partial.offsets[i]!;
    if (!Number.isInteger(offset) || offset < 0 || offset >= WINDOW_MS) {
      throw new DynamoDbInvalidItemError('UnicornSensorData', `${partial.name}: reading offset ${offset} is not a whole millisecond of its minute`);
    }
    offsetView.setUint16(i * 2, offset, true);
    distanceView.setFloat64(i * 8, partial.distances[i]!, true);
  }
  return {
    Name: summary.Name,
    StatusTime: summary.StatusTime,
    WindowStart: summary.WindowStart,
    Distance: summary.Distance,
    MinMagicPoints: summary.MinMagicPoints,
    MaxMagicPoints: summary.MaxMagicPoints,
    MinHealthPoints: summary.MinHealthPoints,
    MaxHealthPoints: summary.MaxHealthPoints,
    Readings: summary.Readings,
    ReadingOffsets: offsets,
    ReadingDistances: distances,
    LastLatitude: partial.lastLatitude,
    LastLongitude: partial.lastLongitude,
    Version: version,
    ...(options.emitted === true ? { EmittedVersion: version } : {}),
  };
}

/**
 * An item holding a summary but no reading list: the ingestion service's import of the workshop's minute-summary
 * files. It cannot be merged with readings (nothing says which readings it counted), so live readings replace it.
 */
export const isImportedSummary = (item: Record<string, unknown>): boolean =>
  typeof item['Name'] === 'string' && !(item['ReadingOffsets'] instanceof Uint8Array);

export function fromSummaryItem(tableName: string, item: Record<string, unknown>): StoredSummary {
  const invalid = (why: string): DynamoDbInvalidItemError =>
    new DynamoDbInvalidItemError(tableName, `item ${String(item['Name'])} @ ${String(item['StatusTime'])} ${why}`);
  const name = item['Name'];
  const windowStartText = item['WindowStart'];
  const offsetsBytes = item['ReadingOffsets'];
  const distanceBytes = item['ReadingDistances'];
  if (typeof name !== 'string' || typeof windowStartText !== 'string') throw invalid('has no Name or WindowStart');
  if (!(offsetsBytes instanceof Uint8Array) || !(distanceBytes instanceof Uint8Array)) {
    throw invalid('has no ReadingOffsets/ReadingDistances: it was not written by DynamoDbSummaryStore');
  }
  const windowStart = parseStatusTime(windowStartText);
  const n = offsetsBytes.byteLength / 2;
  if (Number.isNaN(windowStart) || !Number.isInteger(n) || distanceBytes.byteLength !== n * 8 || n === 0) {
    throw invalid('has a malformed window or reading list');
  }
  const numbers = ['MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints', 'LastLatitude', 'LastLongitude', 'Version'] as const;
  for (const attribute of numbers) if (typeof item[attribute] !== 'number') throw invalid(`has no numeric ${attribute}`);
  // The SDK's Uint8Array may sit at any offset of a shared buffer: a DataView reads it without copying or alignment.
  const offsetView = new DataView(offsetsBytes.buffer, offsetsBytes.byteOffset, offsetsBytes.byteLength);
  const distanceView = new DataView(distanceBytes.buffer, distanceBytes.byteOffset, distanceBytes.byteLength);
  const offsets: number[] = new Array<number>(n);
  const distances: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    offsets[i] = offsetView.getUint16(i * 2, true);
    distances[i] = distanceView.getFloat64(i * 8, true);
  }
  const partial: MinutePartial = {
    name,
    windowStart,
    offsets,
    distances,
    minMagicPoints: item['MinMagicPoints'] as number,
    maxMagicPoints: item['MaxMagicPoints'] as number,
    minHealthPoints: item['MinHealthPoints'] as number,
    maxHealthPoints: item['MaxHealthPoints'] as number,
    lastLatitude: item['LastLatitude'] as number,
    lastLongitude: item['LastLongitude'] as number,
  };
  const version = item['Version'] as number;
  return { partial, summary: toMinuteSummary(partial), version, emitted: item['EmittedVersion'] === version };
}

