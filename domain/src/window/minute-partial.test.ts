import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Reading } from '../reading/reading';
import {
  EmptyPartialError, WindowAccumulator, WindowMismatchError, addReading, distanceSum, emptyPartial, firstReadingTime, isWindowClosed,
  lastReadingTime, mergeAll, mergePartials, partialOfReading, partialsFromReadings, readingCount, samePartial, toMinuteSummary,
  windowKey, type MinutePartial, type MinuteSummary,
} from './minute-partial';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (over: Partial<Reading> = {}): Reading => ({
  name: 'Shadowfax', time: T0 + 1_000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints: 150, ...over,
});

/** Readings with distinct identities (name, time) over 3 unicorns and ~4 minutes. */
const readingsArb = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('Shadowfax', 'Bucephalus', 'Rocinante'),
    time: fc.integer({ min: T0, max: T0 + 4 * 60_000 }),
    latitude: fc.double({ min: 40, max: 41, noNaN: true }),
    longitude: fc.double({ min: -74, max: -73, noNaN: true }),
    distance: fc.double({ min: 0, max: 40, noNaN: true, noDefaultInfinity: true }).map((d) => Math.abs(d)),
    magicPoints: fc.integer({ min: 0, max: 300 }),
    healthPoints: fc.integer({ min: 0, max: 300 }),
  }),
  { selector: (r) => `${r.name}|${r.time}`, maxLength: 120 },
);

/** A plain GROUP BY over event-time minutes: the reference the product's summaries must equal. */
function groupBy(readings: readonly Reading[]): MinuteSummary[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const start = r.time - (r.time % 60_000);
    const key = windowKey(r.name, start);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const start = rs[0]!.time - (rs[0]!.time % 60_000);
    const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');
    return {
      Name: rs[0]!.name, StatusTime: iso(start + 60_000), WindowStart: iso(start),
      Distance: Math.round([...rs].sort((a, b) => a.time - b.time).reduce((s, r) => s + r.distance, 0) * 1000) / 1000,
      MinMagicPoints: Math.min(...rs.map((r) => r.magicPoints)), MaxMagicPoints: Math.max(...rs.map((r) => r.magicPoints)),
      MinHealthPoints: Math.min(...rs.map((r) => r.healthPoints)), MaxHealthPoints: Math.max(...rs.map((r) => r.healthPoints)),
      Readings: rs.length,
    };
  });
}

const sortSummaries = (s: MinuteSummary[]) => [...s].sort((a, b) => (a.Name + a.StatusTime).localeCompare(b.Name + b.StatusTime));
const summariesOf = (partials: Iterable<MinutePartial>) => sortSummaries([...partials].map(toMinuteSummary));

describe('minute windows', () => {
  it.each([
    ['the first millisecond of a minute', T0, T0],
    ['the last millisecond of a minute', T0 + 59_999, T0],
    ['the first millisecond of the next', T0 + 60_000, T0 + 60_000],
  ])('assigns %s by the reading\'s own time', (_label, time, windowStart) => {
    expect(partialOfReading(reading({ time })).windowStart).toBe(windowStart);
  });

  it('summarises like the workshop, with the window end as StatusTime', () => {
    const partials = partialsFromReadings([
      reading({ time: T0 + 5_000, distance: 29.5, magicPoints: 151, healthPoints: 140 }),
      reading({ time: T0 + 6_000, distance: 30.25, magicPoints: 149, healthPoints: 142, latitude: 40.76, longitude: -73.97 }),
    ]);
    const p = partials.get(windowKey('Shadowfax', T0))!;
    expect(toMinuteSummary(p)).toEqual({
      Name: 'Shadowfax', StatusTime: '2026-11-22 10:01:00.000', WindowStart: '2026-11-22 10:00:00.000', Distance: 59.75,
      MinMagicPoints: 149, MaxMagicPoints: 151, MinHealthPoints: 140, MaxHealthPoints: 142, Readings: 2,
    });
    expect([firstReadingTime(p), lastReadingTime(p), p.lastLatitude, p.lastLongitude]).toEqual([T0 + 5_000, T0 + 6_000, 40.76, -73.97]);
  });

  it('keeps the position of the latest reading even when it arrives first', () => {
    const [p] = partialsFromReadings([reading({ time: T0 + 9_000, latitude: 41 }), reading({ time: T0 + 2_000, latitude: 40 })]).values();
    expect(p!.lastLatitude).toBe(41);
    expect(p!.offsets).toEqual([2_000, 9_000]);
  });

  it('counts a duplicated reading once, in a batch and across merges', () => {
    const r = reading();
    const [p] = partialsFromReadings([r, r, r]).values();
    expect(readingCount(p!)).toBe(1);
    expect(readingCount(mergePartials(p!, partialOfReading(r)))).toBe(1);
    expect(distanceSum(addReading(p!, r))).toBe(30);
  });

  it('has an identity, refuses merging different windows, and refuses to summarise nothing', () => {
    const p = partialOfReading(reading());
    const empty = emptyPartial('Shadowfax', T0);
    expect(mergePartials(p, empty)).toEqual(p);
    expect(mergePartials(empty, p)).toEqual(p);
    expect(() => mergePartials(p, partialOfReading(reading({ name: 'Rocinante' })))).toThrow(WindowMismatchError);
    expect(() => mergePartials(p, partialOfReading(reading({ time: T0 + 60_000 })))).toThrow(WindowMismatchError);
    expect(() => toMinuteSummary(empty)).toThrow(EmptyPartialError);
  });

  it('resolves a conflicting duplicate (same identity, different values) the same way in either order', () => {
    const a = partialOfReading(reading({ distance: 30, latitude: 40.1 }));
    const b = partialOfReading(reading({ distance: 31, latitude: 40.2 }));
    expect(mergePartials(a, b)).toEqual(mergePartials(b, a));
    expect(distanceSum(mergePartials(a, b))).toBe(31);
    const [batch] = partialsFromReadings([reading({ distance: 30, latitude: 40.1 }), reading({ distance: 31, latitude: 40.2 })]).values();
    expect(batch).toEqual(mergePartials(a, b));
  });

  it('closes a window once the watermark passes its end', () => {
    expect(isWindowClosed({ windowStart: T0 }, T0 + 59_999)).toBe(false);
    expect(isWindowClosed({ windowStart: T0 }, T0 + 60_000)).toBe(true);
  });
});

describe('merge laws (property-based)', () => {
  const partialArb = (name: string) => fc.array(fc.integer({ min: 0, max: 59_999 }), { maxLength: 30 }).chain((offsets) =>
    fc.tuple(...offsets.map((o) => fc.record({
      distance: fc.integer({ min: 0, max: 40 }), magic: fc.integer({ min: 0, max: 200 }), health: fc.integer({ min: 0, max: 200 }),
      lat: fc.integer({ min: 0, max: 3 }),
    }).map((v) => reading({ name, time: T0 + o, distance: v.distance, magicPoints: v.magic, healthPoints: v.health, latitude: v.lat }))))
    .map((rs) => rs.reduce<MinutePartial>((p, r) => mergePartials(p, partialOfReading(r)), emptyPartial(name, T0))));

  it('is commutative', () => {
    fc.assert(fc.property(partialArb('A'), partialArb('A'), (a, b) => { expect(mergePartials(a, b)).toEqual(mergePartials(b, a)); }));
  });
  it('is associative', () => {
    fc.assert(fc.property(partialArb('A'), partialArb('A'), partialArb('A'), (a, b, c) => {
      expect(mergePartials(mergePartials(a, b), c)).toEqual(mergePartials(a, mergePartials(b, c)));
    }));
  });
  it('is idempotent', () => {
    fc.assert(fc.property(partialArb('A'), (a) => { expect(mergePartials(a, a)).toEqual(a); }));
  });
});

describe('any split, reordering or duplication of a stream gives the same summaries as a GROUP BY', () => {
  it('holds for random streams', () => {
    fc.assert(fc.property(
      readingsArb.filter((rs) => rs.length > 0),
      fc.array(fc.nat(), { maxLength: 200 }),
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }),
      (readings, shuffleKeys, chunkSizes) => {
        // Duplicate some readings, shuffle, then cut the stream into batches of varying sizes.
        const delivered = [...readings, ...readings.filter((_, i) => (shuffleKeys[i] ?? 0) % 3 === 0)]
          .map((r, i) => ({ r, k: shuffleKeys[i % Math.max(1, shuffleKeys.length)] ?? i }))
          .sort((x, y) => x.k - y.k)
          .map(({ r }) => r);
        const batches: Reading[][] = [];
        for (let i = 0, c = 0; i < delivered.length; c++) {
          const size = chunkSizes[c % chunkSizes.length]!;
          batches.push(delivered.slice(i, i + size));
          i += size;
        }
        // Each batch becomes partials; a redelivered batch is merged again.
        const partials = batches.flatMap((b, i) => [...partialsFromReadings(b).values(), ...(i % 2 === 0 ? partialsFromReadings(b).values() : [])]);
        const merged = mergeAll(partials.reverse());
        expect(summariesOf(merged.values())).toEqual(sortSummaries(groupBy(readings)));
      },
    ), { numRuns: 200 });
  });
});

describe('WindowAccumulator', () => {
  it('hands over closed minutes once and keeps the open ones', () => {
    const acc = new WindowAccumulator();
    for (const second of [1, 2, 61, 62, 121]) acc.add(reading({ time: T0 + second * 1000 }));
    acc.add(reading({ name: 'Rocinante', time: T0 + 5_000 }));
    expect(acc.openWindows).toBe(4);
    const closed = acc.drainClosed(T0 + 120_000);
    expect(closed.map((p) => [p.name, p.windowStart, readingCount(p)])).toEqual([
      ['Shadowfax', T0, 2], ['Shadowfax', T0 + 60_000, 2], ['Rocinante', T0, 1],
    ]);
    expect(acc.drainClosed(T0 + 120_000)).toEqual([]);
    expect([...acc.drainAll().keys()]).toEqual([windowKey('Shadowfax', T0 + 120_000)]);
    expect(acc.openWindows).toBe(0);
  });
});

describe('samePartial', () => {
  const partial = partialsFromReadings(Array.from({ length: 60 }, (_, i) => reading({ time: T0 + i * 1_000 + 7, distance: 10 + i / 3 })))
    .values().next().value as MinutePartial;

  it.each([
    ['the same readings and values', partial, true],
    ['a copy with equal arrays', { ...partial, offsets: [...partial.offsets], distances: [...partial.distances] }, true],
    ['one distance changed', { ...partial, distances: partial.distances.map((d, i) => (i === 30 ? d + 1e-9 : d)) }, false],
    ['one reading fewer', { ...partial, offsets: partial.offsets.slice(1), distances: partial.distances.slice(1) }, false],
    ['another last position', { ...partial, lastLongitude: partial.lastLongitude + 1e-12 }, false],
    ['another max health', { ...partial, maxHealthPoints: partial.maxHealthPoints + 1 }, false],
  ])('%s → %s', (_what, other, expected) => {
    expect(samePartial(partial, other)).toBe(expected);
  });
});
