import type { AggregationState } from './aggregation-state';
import { WINDOW_MS, type MinutePartial } from './minute-partial';

/** The format of the encoded state; a later format bumps it and keeps reading this one (a deploy can land mid-window). */
export const AGGREGATION_STATE_FORMAT = 1;

/** Lambda keeps at most 1 MB of tumbling-window state per shard. */
export const TUMBLING_WINDOW_STATE_LIMIT_BYTES = 1_000_000;

/**
 * One open minute: `[name, minute index (windowStart / 60,000), offsets, distances, minMagic, maxMagic, minHealth,
 * maxHealth, lastLatitude, lastLongitude]`. Offsets are uint16 and distances float64, little-endian, base64 — the
 * packing of the table item (summary-item.mapper.ts), bit-exact, and about half the size of the same numbers
 * written as JSON decimals (a v2 distance prints as ~18 characters, its base64 takes 10.7).
 */
export type EncodedOpenMinute = [string, number, string, string, number, number, number, number, number, number];

/** The state as Lambda carries it between invocations: a plain JSON object, no field name repeated per reading. */
export type EncodedAggregationState = {
  readonly v: typeof AGGREGATION_STATE_FORMAT;
  readonly u: readonly EncodedOpenMinute[];
};

export class InvalidAggregationStateError extends Error {
  readonly code = 'INVALID_AGGREGATION_STATE';
  constructor(why: string) {
    super(`the tumbling-window state cannot be read: ${why}`);
    this.name = 'InvalidAggregationStateError';
  }
}

export function encodeAggregationState(state: AggregationState): EncodedAggregationState {
  const u: EncodedOpenMinute[] = [];
  for (const p of state.open.values()) {
    u.push([
      p.name, p.windowStart / WINDOW_MS, packOffsets(p.offsets), packDistances(p.distances),
      p.minMagicPoints, p.maxMagicPoints, p.minHealthPoints, p.maxHealthPoints, p.lastLatitude, p.lastLongitude,
    ]);
  }
  return { v: AGGREGATION_STATE_FORMAT, u };
}

/**
 * Reads the state Lambda hands back. Absent or empty (`{}`, the first invocation of a window) is the empty state.
 * Anything else that is not a state this code wrote is refused, never guessed at.
 */
export function decodeAggregationState(json: unknown): AggregationState {
  if (json === undefined || json === null) return { open: new Map() };
  if (typeof json !== 'object' || Array.isArray(json)) throw new InvalidAggregationStateError('it is not an object');
  const record = json as Record<string, unknown>;
  if (Object.keys(record).length === 0) return { open: new Map() };
  if (record['v'] !== AGGREGATION_STATE_FORMAT) throw new InvalidAggregationStateError(`unknown format ${JSON.stringify(record['v'])}`);
  const minutes = record['u'];
  if (!Array.isArray(minutes)) throw new InvalidAggregationStateError('it has no list of open minutes');
  const open = new Map<string, MinutePartial>();
  for (const entry of minutes) {
    const partial = decodeOpenMinute(entry);
    if (open.has(partial.name)) throw new InvalidAggregationStateError(`${partial.name} has two open minutes`);
    open.set(partial.name, partial);
  }
  return { open };
}

/** Bytes of the state as JSON (UTF-8): what counts against Lambda's 1 MB. */
export function encodedStateBytes(encoded: EncodedAggregationState): number {
  return utf8Length(JSON.stringify(encoded));
}

function decodeOpenMinute(entry: unknown): MinutePartial {
  if (!Array.isArray(entry) || entry.length !== 10) throw new InvalidAggregationStateError('an open minute is not a 10-element list');
  const [name, minute, offsetsText, distancesText, ...numbers] = entry as unknown[];
  if (typeof name !== 'string' || name === '') throw new InvalidAggregationStateError('an open minute has no name');
  if (!Number.isSafeInteger(minute)) throw new InvalidAggregationStateError(`${name}: the minute is not a whole number`);
  if (typeof offsetsText !== 'string' || typeof distancesText !== 'string') throw new InvalidAggregationStateError(`${name}: readings are not packed`);
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new InvalidAggregationStateError(`${name}: a value is not a finite number`);
  const offsets = unpackOffsets(name, offsetsText);
  const distances = unpackDistances(name, distancesText);
  if (offsets.length === 0 || distances.length !== offsets.length) throw new InvalidAggregationStateError(`${name}: ${offsets.length} offsets but ${distances.length} distances`);
  for (let i = 0; i < offsets.length; i++) {
    if (offsets[i]! >= WINDOW_MS || (i > 0 && offsets[i]! <= offsets[i - 1]!)) {
      throw new InvalidAggregationStateError(`${name}: offsets are not ascending within the minute`);
    }
  }
  const [minMagicPoints, maxMagicPoints, minHealthPoints, maxHealthPoints, lastLatitude, lastLongitude] = numbers as number[];
  return {
    name, windowStart: (minute as number) * WINDOW_MS, offsets, distances,
    minMagicPoints: minMagicPoints!, maxMagicPoints: maxMagicPoints!, minHealthPoints: minHealthPoints!, maxHealthPoints: maxHealthPoints!,
    lastLatitude: lastLatitude!, lastLongitude: lastLongitude!,
  };
}

// Typed arrays use the platform's byte order; the format is little-endian, so they are used only where that is it
// (every platform Node and Lambda run on), and a DataView writes each number elsewhere.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function packOffsets(offsets: readonly number[]): string {
  const bytes = new Uint8Array(offsets.length * 2);
  if (LITTLE_ENDIAN) new Uint16Array(bytes.buffer).set(offsets);
  else offsets.forEach((offset, i) => new DataView(bytes.buffer).setUint16(i * 2, offset, true));
  return toBase64(bytes);
}

function packDistances(distances: readonly number[]): string {
  const bytes = new Uint8Array(distances.length * 8);
  if (LITTLE_ENDIAN) new Float64Array(bytes.buffer).set(distances);
  else distances.forEach((distance, i) => new DataView(bytes.buffer).setFloat64(i * 8, distance, true));
  return toBase64(bytes);
}

function unpackOffsets(name: string, text: string): number[] {
  const bytes = fromBase64(name, text);
  if (bytes.length % 2 !== 0) throw new InvalidAggregationStateError(`${name}: the offsets are not whole uint16s`);
  if (LITTLE_ENDIAN) return plainArray(new Uint16Array(bytes.buffer, 0, bytes.length / 2));
  return Array.from({ length: bytes.length / 2 }, (_, i) => new DataView(bytes.buffer).getUint16(i * 2, true));
}

function unpackDistances(name: string, text: string): number[] {
  const bytes = fromBase64(name, text);
  if (bytes.length % 8 !== 0) throw new InvalidAggregationStateError(`${name}: the distances are not whole float64s`);
  const distances = LITTLE_ENDIAN
    ? plainArray(new Float64Array(bytes.buffer, 0, bytes.length / 8))
    : Array.from({ length: bytes.length / 8 }, (_, i) => new DataView(bytes.buffer).getFloat64(i * 8, true));
  if (!distances.every(Number.isFinite)) throw new InvalidAggregationStateError(`${name}: a distance is not a finite number`);
  return distances;
}

/** A typed array's numbers as a plain array (the partial's type); a loop, as `Array.from` iterates far slower. */
function plainArray(numbers: Uint16Array | Float64Array): number[] {
  const out = new Array<number>(numbers.length);
  for (let i = 0; i < numbers.length; i++) out[i] = numbers[i]!;
  return out;
}

// Whole chunks of bytes become one string each: a character at a time was most of the codec's cost.
const CHUNK = 0x2000;

function toBase64(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return btoa(String.fromCharCode.apply(null, bytes as unknown as number[]));
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return btoa(binary);
}

function fromBase64(name: string, text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new InvalidAggregationStateError(`${name}: the readings are not base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
