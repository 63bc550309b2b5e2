import { floorToMinute, formatStatusTime } from '../time/status-time';
import type { Reading } from '../reading/reading';

export const WINDOW_MS = 60_000;

/**
 * What is known of one unicorn's event-time minute. Partials from any split, reordering or duplication of
 * the stream merge to the same value: the merge is associative, commutative and idempotent, because the
 * partial keeps the identity of each reading (its millisecond offset in the minute) with its distance, so a
 * reading seen on both sides counts once. Min/max are idempotent already; the last position is a
 * last-writer-wins register ordered by reading time. At one reading a second the partial holds 60 offsets
 * and 60 distances: about 1.5 KB as a DynamoDB item.
 */
export interface MinutePartial {
  readonly name: string;
  /** Start of the minute, epoch ms UTC. */
  readonly windowStart: number;
  /** Offsets (ms from windowStart) of the readings seen, ascending and distinct. */
  readonly offsets: readonly number[];
  /** Distance of the reading at the same index in `offsets`. */
  readonly distances: readonly number[];
  readonly minMagicPoints: number;
  readonly maxMagicPoints: number;
  readonly minHealthPoints: number;
  readonly maxHealthPoints: number;
  /** Position of the latest reading (the one at the last offset). */
  readonly lastLatitude: number;
  readonly lastLongitude: number;
}

/** The workshop's minute summary, plus the window start and the number of readings. */
export interface MinuteSummary {
  readonly Name: string;
  /** End of the minute, formatted as the workshop's aggregation emitted it. */
  readonly StatusTime: string;
  readonly WindowStart: string;
  /** Metres in the minute, rounded to the millimetre so that every summing order gives the same number. */
  readonly Distance: number;
  readonly MinMagicPoints: number;
  readonly MaxMagicPoints: number;
  readonly MinHealthPoints: number;
  readonly MaxHealthPoints: number;
  readonly Readings: number;
}

export const windowKey = (name: string, windowStart: number): string => `${name}\u0000${windowStart}`;

/** The merge identity for one (unicorn, minute): no readings. */
export function emptyPartial(name: string, windowStart: number): MinutePartial {
  return {
    name, windowStart, offsets: [], distances: [],
    minMagicPoints: Infinity, maxMagicPoints: -Infinity, minHealthPoints: Infinity, maxHealthPoints: -Infinity,
    lastLatitude: NaN, lastLongitude: NaN,
  };
}

export function partialOfReading(reading: Reading): MinutePartial {
  const windowStart = floorToMinute(reading.time);
  return {
    name: reading.name, windowStart,
    offsets: [reading.time - windowStart], distances: [reading.distance],
    minMagicPoints: reading.magicPoints, maxMagicPoints: reading.magicPoints,
    minHealthPoints: reading.healthPoints, maxHealthPoints: reading.healthPoints,
    lastLatitude: reading.latitude, lastLongitude: reading.longitude,
  };
}

export class WindowMismatchError extends Error {
  readonly code = 'WINDOW_MISMATCH';
  constructor(a: MinutePartial, b: MinutePartial) {
    super(`cannot merge partials of different windows: ${a.name}@${a.windowStart} and ${b.name}@${b.windowStart}`);
    this.name = 'WindowMismatchError';
  }
}

/** Whether (lat, lon) of `a` wins over `b` at the same time: any fixed total order keeps the merge commutative. */
const positionWins = (aLat: number, aLon: number, bLat: number, bLon: number): boolean =>
  aLat > bLat || (aLat === bLat && aLon > bLon) || (Number.isNaN(bLat) && !Number.isNaN(aLat));

/** Merges two partials of the same unicorn and minute. A reading present in both counts once. */
export function mergePartials(a: MinutePartial, b: MinutePartial): MinutePartial {
  if (a.name !== b.name || a.windowStart !== b.windowStart) throw new WindowMismatchError(a, b);
  if (b.offsets.length === 0) return a;
  if (a.offsets.length === 0) return b;

  const offsets: number[] = [];
  const distances: number[] = [];
  let i = 0, j = 0;
  const ao = a.offsets, bo = b.offsets, ad = a.distances, bd = b.distances;
  while (i < ao.length || j < bo.length) {
    const x = i < ao.length ? ao[i]! : Infinity;
    const y = j < bo.length ? bo[j]! : Infinity;
    if (x < y) { offsets.push(x); distances.push(ad[i]!); i++; }
    else if (y < x) { offsets.push(y); distances.push(bd[j]!); j++; }
    else {
      // Same identity on both sides. A well-behaved producer sends the same distance; if not, max keeps the merge a semilattice.
      offsets.push(x); distances.push(Math.max(ad[i]!, bd[j]!)); i++; j++;
    }
  }

  const aLast = ao[ao.length - 1]!, bLast = bo[bo.length - 1]!;
  const takeA = aLast > bLast || (aLast === bLast && !positionWins(b.lastLatitude, b.lastLongitude, a.lastLatitude, a.lastLongitude));
  return {
    name: a.name, windowStart: a.windowStart, offsets, distances,
    minMagicPoints: Math.min(a.minMagicPoints, b.minMagicPoints),
    maxMagicPoints: Math.max(a.maxMagicPoints, b.maxMagicPoints),
    minHealthPoints: Math.min(a.minHealthPoints, b.minHealthPoints),
    maxHealthPoints: Math.max(a.maxHealthPoints, b.maxHealthPoints),
    lastLatitude: takeA ? a.lastLatitude : b.lastLatitude,
    lastLongitude: takeA ? a.lastLongitude : b.lastLongitude,
  };
}

/** Adds one reading to a partial of its window (the common, in-order case appends without copying twice). */
export function addReading(partial: MinutePartial, reading: Reading): MinutePartial {
  return mergePartials(partial, partialOfReading(reading));
}

/** Groups readings into one partial per (unicorn, minute), keyed by `windowKey`. */
export function partialsFromReadings(readings: Iterable<Reading>): Map<string, MinutePartial> {
  const accumulator = new WindowAccumulator();
  for (const reading of readings) accumulator.add(reading);
  return accumulator.drainAll();
}

/**
 * Folds readings into one partial per (unicorn, minute), in place: a batch, or a long-running processor's
 * open windows. `drainClosed` hands over (and forgets) the windows a watermark has closed, so memory stays
 * bounded by the open minutes.
 */
export class WindowAccumulator {
  // Per unicorn, its open windows: usually one or two, so a small array beats a map (in speed and memory),
  // and no key string is built per reading on this hot path.
  private open = new Map<string, MutablePartial[]>();
  private count = 0;

  get openWindows(): number {
    return this.count;
  }

  add(reading: Reading): void {
    const windowStart = floorToMinute(reading.time);
    const windows = this.open.get(reading.name);
    if (windows === undefined) {
      this.open.set(reading.name, [toMutable(partialOfReading(reading))]);
      this.count++;
      return;
    }
    for (const partial of windows) {
      if (partial.windowStart === windowStart) {
        appendReading(partial, reading);
        return;
      }
    }
    windows.push(toMutable(partialOfReading(reading)));
    this.count++;
  }

  /** Removes and returns the windows that end at or before `watermark` (epoch ms). */
  drainClosed(watermark: number): MinutePartial[] {
    const closed: MinutePartial[] = [];
    for (const [name, windows] of this.open) {
      const stillOpen = windows.filter((partial) => !isWindowClosed(partial, watermark));
      if (stillOpen.length === windows.length) continue;
      for (const partial of windows) if (isWindowClosed(partial, watermark)) closed.push(partial);
      if (stillOpen.length === 0) this.open.delete(name);
      else this.open.set(name, stillOpen);
    }
    this.count -= closed.length;
    return closed;
  }

  /** Removes and returns every window, keyed by `windowKey`. */
  drainAll(): Map<string, MinutePartial> {
    const all = new Map<string, MinutePartial>();
    for (const windows of this.open.values()) for (const p of windows) all.set(windowKey(p.name, p.windowStart), p);
    this.open = new Map();
    this.count = 0;
    return all;
  }
}

type MutablePartial = { -readonly [K in keyof MinutePartial]: MinutePartial[K] extends readonly number[] ? number[] : MinutePartial[K] };

const toMutable = (p: MinutePartial): MutablePartial => ({ ...p, offsets: [...p.offsets], distances: [...p.distances] });

/** In-place insert for batch building: appends when in order (the usual case), binary-inserts otherwise. */
function appendReading(p: MutablePartial, r: Reading): void {
  const offset = r.time - p.windowStart;
  const n = p.offsets.length;
  const last = p.offsets[n - 1]!;
  if (offset > last) {
    p.offsets.push(offset);
    p.distances.push(r.distance);
    p.lastLatitude = r.latitude;
    p.lastLongitude = r.longitude;
  } else {
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (p.offsets[mid]! < offset) lo = mid + 1; else hi = mid; }
    if (p.offsets[lo] === offset) {
      p.distances[lo] = Math.max(p.distances[lo]!, r.distance);
      if (offset === last && positionWins(r.latitude, r.longitude, p.lastLatitude, p.lastLongitude)) {
        p.lastLatitude = r.latitude;
        p.lastLongitude = r.longitude;
      }
    } else {
      p.offsets.splice(lo, 0, offset);
      p.distances.splice(lo, 0, r.distance);
    }
  }
  if (r.magicPoints < p.minMagicPoints) p.minMagicPoints = r.magicPoints;
  if (r.magicPoints > p.maxMagicPoints) p.maxMagicPoints = r.magicPoints;
  if (r.healthPoints < p.minHealthPoints) p.minHealthPoints = r.healthPoints;
  if (r.healthPoints > p.maxHealthPoints) p.maxHealthPoints = r.healthPoints;
}

/** Merges any collection of partials (of any windows) into one partial per window. */
export function mergeAll(partials: Iterable<MinutePartial>): Map<string, MinutePartial> {
  const merged = new Map<string, MinutePartial>();
  for (const p of partials) {
    const key = windowKey(p.name, p.windowStart);
    const existing = merged.get(key);
    merged.set(key, existing === undefined ? p : mergePartials(existing, p));
  }
  return merged;
}

export const readingCount = (p: MinutePartial): number => p.offsets.length;

/** Sum of distances in offset order, so every partial holding the same readings gives the same number. */
export function distanceSum(p: MinutePartial): number {
  let sum = 0;
  for (const d of p.distances) sum += d;
  return Math.round(sum * 1000) / 1000;
}

export const firstReadingTime = (p: MinutePartial): number => p.windowStart + (p.offsets[0] ?? NaN);
export const lastReadingTime = (p: MinutePartial): number => p.windowStart + (p.offsets[p.offsets.length - 1] ?? NaN);

export class EmptyPartialError extends Error {
  readonly code = 'EMPTY_PARTIAL';
  constructor(p: MinutePartial) {
    super(`the minute ${p.name}@${p.windowStart} has no readings to summarise`);
    this.name = 'EmptyPartialError';
  }
}

/** The workshop's summary of a minute; StatusTime is the window end, as the workshop's SQL emitted it. */
export function toMinuteSummary(p: MinutePartial): MinuteSummary {
  if (p.offsets.length === 0) throw new EmptyPartialError(p);
  return {
    Name: p.name,
    StatusTime: formatStatusTime(p.windowStart + WINDOW_MS),
    WindowStart: formatStatusTime(p.windowStart),
    Distance: distanceSum(p),
    MinMagicPoints: p.minMagicPoints,
    MaxMagicPoints: p.maxMagicPoints,
    MinHealthPoints: p.minHealthPoints,
    MaxHealthPoints: p.maxHealthPoints,
    Readings: p.offsets.length,
  };
}

/** Whether a minute is over at `watermark` (epoch ms): no reading in it can be on time any more. */
export const isWindowClosed = (p: Pick<MinutePartial, 'windowStart'>, watermark: number): boolean => p.windowStart + WINDOW_MS <= watermark;

/** Whether two partials of one window hold the same readings and values (the merge changed nothing). */
export function samePartial(a: MinutePartial, b: MinutePartial): boolean {
  if (a === b) return true;
  if (a.offsets.length !== b.offsets.length) return false;
  for (let i = 0; i < a.offsets.length; i++) {
    if (a.offsets[i] !== b.offsets[i] || a.distances[i] !== b.distances[i]) return false;
  }
  return a.minMagicPoints === b.minMagicPoints && a.maxMagicPoints === b.maxMagicPoints
    && a.minHealthPoints === b.minHealthPoints && a.maxHealthPoints === b.maxHealthPoints
    && a.lastLatitude === b.lastLatitude && a.lastLongitude === b.lastLongitude;
}
