import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Reading } from '../reading/reading';
import { advanceWindow, EMPTY_AGGREGATION_STATE, firstSeenUnicorns, openMinutes, pendingLookups, type AggregationState } from './aggregation-state';
import { mergeAll, partialsFromReadings, type MinutePartial } from './minute-partial';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const M = 60_000;
const reading = (name: string, minute: number, second: number, distance = 30): Reading => ({
  name, time: T0 + minute * M + second * 1000, latitude: 40.75, longitude: -73.98, distance, magicPoints: 150, healthPoints: 150,
});
const partials = (...readings: Reading[]): MinutePartial[] => [...partialsFromReadings(readings).values()];
const partialOf = (...readings: Reading[]): MinutePartial => partials(...readings)[0]!;
const keys = (ps: readonly MinutePartial[]) => ps.map((p) => `${p.name}@${(p.windowStart - T0) / M}:${p.offsets.length}`).sort();
const openKeys = (state: AggregationState) => keys(openMinutes(state));

describe('advanceWindow', () => {
  it('keeps a unicorn\'s newest minute open and closes the older ones it has readings for', () => {
    // Act
    const step = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 0, 1), reading('A', 0, 2), reading('A', 1, 0), reading('B', 0, 5)));

    // Assess
    expect(keys(step.closed)).toEqual(['A@0:2']);
    expect(openKeys(step.state)).toEqual(['A@1:1', 'B@0:1']);
    expect(step.pendingClosed).toEqual([]);
  });

  it('carries open minutes across invocations and closes one when a later minute of the same unicorn arrives', () => {
    // Prepare
    const first = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 0, 1), reading('B', 0, 1)));

    // Act
    const second = advanceWindow(first.state, partials(reading('A', 0, 2), reading('A', 1, 0)));

    // Assess: A's minute 0 holds both invocations' readings; B, untouched, stays open.
    expect(keys(second.closed)).toEqual(['A@0:2']);
    expect(openKeys(second.state)).toEqual(['A@1:1', 'B@0:1']);
  });

  it('closes a late reading\'s minute at once: a later minute of its unicorn is already open', () => {
    const state = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 5, 1))).state;
    const step = advanceWindow(state, partials(reading('A', 2, 30)));
    expect(keys(step.closed)).toEqual(['A@2:1']);
    expect(openKeys(step.state)).toEqual(['A@5:1']);
  });

  it.each([
    ['older than the newest minute, untouched: published as stored, then marked', [reading('A', 3, 0)], 1, [], ['A@3:1'], ['A@1:2']],
    ['older, and the batch has readings of it: merged with the mark like any closed minute', [reading('A', 1, 40), reading('A', 3, 0)], 1, ['A@1:1'], ['A@3:1'], []],
    ['the newest minute, with readings in the batch: stays in the store and merges when it closes', [reading('A', 1, 40)], 1, [], ['A@1:1'], []],
    ['newer than anything in the batch (a late reading first): adopted as the open minute', [reading('A', 0, 10)], 1, ['A@0:1'], ['A@1:2'], []],
  ])('treats a pending minute %s', (_what, batch, pendingMinute, closed, open, pendingClosed) => {
    // Prepare: the store holds A's minute `pendingMinute`, flushed open by the previous window.
    const pending = [{ partial: partialOf(reading('A', pendingMinute, 1), reading('A', pendingMinute, 2)), version: 1 }];

    // Act
    const step = advanceWindow(EMPTY_AGGREGATION_STATE, partials(...batch), pending);

    // Assess
    expect(keys(step.closed)).toEqual(closed);
    expect(openKeys(step.state)).toEqual(open);
    expect(keys(step.pendingClosed.map((w) => w.partial))).toEqual(pendingClosed);
  });

  it('closes an adopted pending minute when a later minute of its unicorn arrives in the same window', () => {
    const pending = [{ partial: partialOf(reading('A', 4, 1)), version: 2 }];
    const adopted = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 2, 0)), pending).state;
    const step = advanceWindow(adopted, partials(reading('A', 5, 0)));
    expect(keys(step.closed)).toEqual(['A@4:1']);
  });

  it('leaves the input state untouched (a retried invocation gets the same state again)', () => {
    const state = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 0, 1))).state;
    const before = openKeys(state);
    advanceWindow(state, partials(reading('A', 1, 1), reading('B', 0, 1)));
    expect(openKeys(state)).toEqual(before);
  });
});

describe('pending lookups', () => {
  it('asks once per unicorn the window has not seen, around the newest minute the batch has of it', () => {
    // Prepare
    const state = advanceWindow(EMPTY_AGGREGATION_STATE, partials(reading('A', 0, 1))).state;
    const batch = partials(reading('A', 1, 0), reading('B', 2, 0), reading('B', 3, 0), reading('C', 1, 0));

    // Act
    const lookups = pendingLookups(state, batch, 15 * M);

    // Assess
    expect(lookups).toEqual([
      { name: 'B', fromWindowStart: T0 + 3 * M - 15 * M, beforeWindowStart: T0 + 3 * M + 15 * M },
      { name: 'C', fromWindowStart: T0 + M - 15 * M, beforeWindowStart: T0 + M + 15 * M },
    ]);
    expect([...firstSeenUnicorns(state, batch).keys()]).toEqual(['B', 'C']);
  });
});

describe('any split of a window into invocations (property-based)', () => {
  const streamArb = fc.array(fc.record({
    name: fc.constantFrom('A', 'B', 'C'), minute: fc.integer({ min: 0, max: 4 }), second: fc.integer({ min: 0, max: 59 }),
    distance: fc.integer({ min: 0, max: 40 }),
  }), { minLength: 1, maxLength: 120 })
    .map((rs) => rs.map((r) => reading(r.name, r.minute, r.second, r.distance)));

  it('closes each minute only after a later minute of its unicorn, and closed + open hold every reading once', () => {
    fc.assert(fc.property(streamArb, fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 10 }), (stream, sizes) => {
      // Prepare
      const batches: Reading[][] = [];
      for (let i = 0, c = 0; i < stream.length; c++) {
        const size = sizes[c % sizes.length]!;
        batches.push(stream.slice(i, i + size));
        i += size;
      }

      // Act
      let state = EMPTY_AGGREGATION_STATE;
      const newest = new Map<string, number>();
      const closed: MinutePartial[] = [];
      for (const batch of batches) {
        for (const r of batch) newest.set(r.name, Math.max(newest.get(r.name) ?? -Infinity, r.time - (r.time % M)));
        const step = advanceWindow(state, partials(...batch));
        for (const p of step.closed) expect(p.windowStart).toBeLessThan(newest.get(p.name)!);
        closed.push(...step.closed);
        state = step.state;
      }

      // Assess
      for (const [name, start] of newest) expect(state.open.get(name)?.windowStart).toBe(start);
      const all = mergeAll([...closed, ...openMinutes(state)]);
      const expected = partialsFromReadings(stream);
      expect(new Set(all.keys())).toEqual(new Set(expected.keys()));
      for (const [key, p] of expected) expect(all.get(key)).toEqual(p);
    }), { numRuns: 300 });
  });
});
