import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FleetSimulation } from '../simulation/fleet-simulation';
import type { Reading } from '../reading/reading';
import type { AggregationState } from './aggregation-state';
import {
  AGGREGATION_STATE_FORMAT, decodeAggregationState, encodeAggregationState, encodedStateBytes, InvalidAggregationStateError,
  TUMBLING_WINDOW_STATE_LIMIT_BYTES,
} from './aggregation-state.codec';
import { partialsFromReadings, type MinutePartial } from './minute-partial';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

const stateOf = (partials: Iterable<MinutePartial>): AggregationState => {
  const open = new Map<string, MinutePartial>();
  for (const p of partials) open.set(p.name, p);
  return { open };
};

/** As Lambda carries it: the handler's response is JSON, and the next event's `state` is parsed from it. */
const throughLambda = (state: AggregationState): unknown => JSON.parse(JSON.stringify(encodeAggregationState(state)));

/** One open minute per unicorn, any readings: any name, any millisecond of the minute, any double distance. */
const stateArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 6 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.record({
    minute: fc.integer({ min: 0, max: 40_000_000 }),
    readings: fc.array(fc.record({
      offset: fc.integer({ min: 0, max: 59_999 }),
      distance: fc.double({ min: 0, max: 1000, noNaN: true }),
      latitude: fc.integer({ min: -90_000_000, max: 90_000_000 }).map((n) => n / 1e6),
      longitude: fc.integer({ min: -180_000_000, max: 180_000_000 }).map((n) => n / 1e6),
      magicPoints: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      healthPoints: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    }), { minLength: 1, maxLength: 70 }),
  }).map(({ minute, readings }) => [...partialsFromReadings(readings.map((r): Reading => ({
    name, time: minute * 60_000 + r.offset, distance: r.distance, latitude: r.latitude, longitude: r.longitude,
    magicPoints: r.magicPoints, healthPoints: r.healthPoints,
  }))).values()][0]!))))
  .map(stateOf);

/** A full minute of `unicorns` unicorns at one reading a second, as the simulated (v2) producer sends it. */
function fullMinutes(unicorns: number): AggregationState {
  const fleet = new FleetSimulation({ seed: 7, unicorns, startTime: T0 });
  const readings = Array.from({ length: 60 }, () => fleet.tick()).flat().map((r) => r.reading!);
  return stateOf(partialsFromReadings(readings).values());
}

describe('aggregation state codec', () => {
  it('round-trips any state bit for bit, through JSON as Lambda carries it (property)', () => {
    fc.assert(fc.property(stateArb, (state) => {
      // Act
      const decoded = decodeAggregationState(throughLambda(state));

      // Assess
      expect(decoded).toEqual(state);
    }), { numRuns: 300 });
  });

  it('packs offsets as uint16 and distances as float64, little-endian, base64 (property)', () => {
    // The format written out independently, a number at a time through a DataView.
    const littleEndian = (numbers: readonly number[], size: 2 | 8): string => {
      const view = new DataView(new ArrayBuffer(numbers.length * size));
      numbers.forEach((n, i) => (size === 2 ? view.setUint16(i * 2, n, true) : view.setFloat64(i * 8, n, true)));
      return Buffer.from(view.buffer).toString('base64');
    };
    fc.assert(fc.property(stateArb, (state) => {
      const encoded = encodeAggregationState(state);
      for (const [name, , offsets, distances] of encoded.u) {
        const partial = state.open.get(name)!;
        expect(offsets).toBe(littleEndian(partial.offsets, 2));
        expect(distances).toBe(littleEndian(partial.distances, 8));
      }
    }));
  });

  it('round-trips a minute of thousands of readings (packed in several chunks)', () => {
    const readings = Array.from({ length: 3_000 }, (_, i): Reading => ({
      name: 'Sleipnir', time: T0 + i * 20, distance: i / 3, latitude: 40, longitude: -74, magicPoints: i % 200, healthPoints: 150,
    }));
    const state = stateOf(partialsFromReadings(readings).values());

    const decoded = decodeAggregationState(throughLambda(state));

    expect(decoded.open.get('Sleipnir')?.distances).toEqual(readings.map((r) => r.distance));
    expect(decoded.open.get('Sleipnir')?.offsets).toEqual(readings.map((r) => r.time - T0));
  });

  it('is stable: encoding the decoded state gives the same JSON (property)', () => {
    fc.assert(fc.property(stateArb, (state) => {
      const json = JSON.stringify(encodeAggregationState(state));
      expect(JSON.stringify(encodeAggregationState(decodeAggregationState(JSON.parse(json))))).toBe(json);
    }), { numRuns: 100 });
  });

  it.each([
    ['absent (the first invocation of a window)', undefined],
    ['null', null],
    ['an empty object (what Lambda passes at a window start)', {}],
  ])('reads %s as the empty state', (_what, json) => {
    expect(decodeAggregationState(json).open.size).toBe(0);
  });

  it('repeats no field name per reading: a unicorn costs a few hundred bytes whatever its readings are', () => {
    // Prepare
    const [partial] = fullMinutes(1).open.values();

    // Act
    const [entry] = encodeAggregationState(fullMinutes(1)).u;

    // Assess
    expect(entry).toEqual([
      partial!.name, T0 / 60_000, expect.stringMatching(/^[A-Za-z0-9+/]{160}$/), expect.stringMatching(/^[A-Za-z0-9+/]{640}$/),
      partial!.minMagicPoints, partial!.maxMagicPoints, partial!.minHealthPoints, partial!.maxHealthPoints, partial!.lastLatitude, partial!.lastLongitude,
    ]);
  });

  it('keeps a full minute (60 readings) of a unicorn under 900 bytes, so a shard at 1,000 records/s fits in 1 MB', () => {
    // Prepare: 1,000 unicorns at one reading a second is one shard's whole write capacity.
    const envelope = encodedStateBytes(encodeAggregationState({ open: new Map() }));

    // Act
    const one = encodedStateBytes(encodeAggregationState(fullMinutes(1))) - envelope;
    const shard = encodedStateBytes(encodeAggregationState(fullMinutes(1000)));

    // Assess: ~880 bytes each (name, 160 + 640 base64 characters, six numbers); docs/adr/0008 quotes these numbers.
    expect(one).toBeGreaterThan(800);
    expect(one).toBeLessThan(900);
    expect(shard).toBeLessThan(TUMBLING_WINDOW_STATE_LIMIT_BYTES);
  });

  it('counts the state in UTF-8 bytes, as Lambda does', () => {
    const ascii = encodedStateBytes({ v: AGGREGATION_STATE_FORMAT, u: [] });
    expect(encodedStateBytes({ v: AGGREGATION_STATE_FORMAT, u: [['Pégase🦄', 0, 'AAA=', 'AAAAAAAAAAA=', 0, 0, 0, 0, 0, 0]] }))
      .toBe(ascii + JSON.stringify(['Pégase🦄', 0, 'AAA=', 'AAAAAAAAAAA=', 0, 0, 0, 0, 0, 0]).length + 1 + 2);
  });

  const valid = (): unknown[] => [...encodeAggregationState(fullMinutes(1)).u[0]!];
  it.each([
    ['not an object', 'state'],
    ['a list', []],
    ['another format', { v: 2, u: [] }],
    ['no list of minutes', { v: 1 }],
    ['a minute that is not a 10-element list', { v: 1, u: [['Shadowfax']] }],
    ['a minute without a name', { v: 1, u: [Object.assign(valid(), { 0: '' })] }],
    ['a fractional minute index', { v: 1, u: [Object.assign(valid(), { 1: 1.5 })] }],
    ['readings that are not packed', { v: 1, u: [Object.assign(valid(), { 2: [1000, 2000] })] }],
    ['a value that is not a finite number', { v: 1, u: [Object.assign(valid(), { 9: null })] }],
    ['offsets that are not base64', { v: 1, u: [Object.assign(valid(), { 2: '!!' })] }],
    ['an odd number of offset bytes', { v: 1, u: [Object.assign(valid(), { 2: 'AAAA' })] }],
    ['distances that are not whole float64s', { v: 1, u: [Object.assign(valid(), { 3: 'AAAA' })] }],
    ['a distance that is not finite', { v: 1, u: [Object.assign(valid(), { 2: 'AAA=', 3: 'AAAAAAAA8H8=' })] }],
    ['fewer distances than offsets', { v: 1, u: [Object.assign(valid(), { 3: 'AAAAAAAAAAA=' })] }],
    ['no readings', { v: 1, u: [Object.assign(valid(), { 2: '', 3: '' })] }],
    ['offsets out of order', { v: 1, u: [Object.assign(valid(), { 2: 'ZABkAA==', 3: 'AAAAAAAAAAAAAAAAAAAAAA==' })] }],
    ['an offset past the minute', { v: 1, u: [Object.assign(valid(), { 2: 'YOo=', 3: 'AAAAAAAAAAA=' })] }],
    ['two open minutes of one unicorn', { v: 1, u: [valid(), valid()] }],
  ])('refuses a state that is %s', (_what, json) => {
    expect(() => decodeAggregationState(json)).toThrow(InvalidAggregationStateError);
  });
});
