import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InMemorySummaryPublisher, InMemorySummaryStore, type SummaryStoreOperation } from '@wildrydes/test-kit';
import {
  EMPTY_AGGREGATION_STATE, FleetSimulation, readingIdentity, type AggregationState, type MinutePartial, type MinuteSummary, type Reading,
} from '@wildrydes/domain';
import { dynamoDbItemSize, toSummaryItem } from '@wildrydes/adapters/dynamodb';
import { AggregateMinutes, type AggregateMinutesOptions, type AggregateMinutesResult } from './aggregate-minutes.use-case';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const MINUTE = 60_000;
const LOOKBACK = 15 * MINUTE;

const fleet = (seconds: number, unicorns = 3, seed = 11): Reading[] => {
  const sim = new FleetSimulation({ seed, unicorns, startTime: T0 });
  return Array.from({ length: seconds }, () => sim.tick()).flat().map((r) => r.reading!);
};

/** A plain GROUP BY over event-time minutes: what the table must equal. */
function groupBy(readings: readonly Reading[]): MinuteSummary[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const key = `${r.name}|${r.time - (r.time % MINUTE)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const fmt = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');
  return [...groups.values()].map((rs) => {
    const start = rs[0]!.time - (rs[0]!.time % MINUTE);
    const sorted = [...rs].sort((a, b) => a.time - b.time);
    return {
      Name: rs[0]!.name, StatusTime: fmt(start + MINUTE), WindowStart: fmt(start),
      Distance: Math.round(sorted.reduce((s, r) => s + r.distance, 0) * 1000) / 1000,
      MinMagicPoints: Math.min(...rs.map((r) => r.magicPoints)), MaxMagicPoints: Math.max(...rs.map((r) => r.magicPoints)),
      MinHealthPoints: Math.min(...rs.map((r) => r.healthPoints)), MaxHealthPoints: Math.max(...rs.map((r) => r.healthPoints)),
      Readings: rs.length,
    };
  }).sort(bySummaryKey);
}
const bySummaryKey = (a: MinuteSummary, b: MinuteSummary) => (a.Name + a.StatusTime).localeCompare(b.Name + b.StatusTime);
const distinct = (readings: readonly Reading[]): Reading[] => [...new Map(readings.map((r) => [readingIdentity(r), r])).values()];
const namesOf = (readings: readonly Reading[]) => [...new Set(readings.map((r) => r.name))];
const tableOf = async (store: InMemorySummaryStore, names: readonly string[]) =>
  (await Promise.all(names.map((n) => store.listByName(n)))).flat().map((s) => s.summary).sort(bySummaryKey);
/** Everything the table holds, versions and marks included: a replay must leave it identical. */
const snapshotOf = async (store: InMemorySummaryStore, names: readonly string[]) =>
  (await Promise.all(names.map((n) => store.listByName(n)))).flat();

/** One shard's invocations: the state goes from one to the next, as Lambda carries it. */
class Shard {
  state: AggregationState = EMPTY_AGGREGATION_STATE;
  constructor(readonly aggregate: AggregateMinutes) {}

  async invoke(readings: readonly Reading[], final = false): Promise<AggregateMinutesResult> {
    const result = await this.aggregate.execute(readings, this.state, { final });
    this.state = result.state;
    return result;
  }

  /** The window's final invocation (Lambda sends it without records). */
  endWindow(): Promise<AggregateMinutesResult> {
    return this.invoke([], true);
  }
}

const setup = (options: Partial<AggregateMinutesOptions> = {}) => {
  const store = new InMemorySummaryStore();
  const publisher = new InMemorySummaryPublisher();
  const aggregate = new AggregateMinutes(store, publisher, { emissionLookbackMs: LOOKBACK, ...options });
  return { store, publisher, aggregate, shard: new Shard(aggregate) };
};

/** Cuts readings into batches of `batchSeconds` and windows of `windowSeconds` by reading time, as a mapping would. */
async function runWindows(shard: Shard, readings: readonly Reading[], batchSeconds: number, windowSeconds: number): Promise<void> {
  const windowOf = (r: Reading) => Math.floor((r.time - T0) / (windowSeconds * 1000));
  const batchOf = (r: Reading) => Math.floor((r.time - T0) / (batchSeconds * 1000));
  let batch: Reading[] = [];
  for (const [i, r] of readings.entries()) {
    batch.push(r);
    const next = readings[i + 1];
    if (next === undefined || batchOf(next) !== batchOf(r)) {
      await shard.invoke(batch);
      batch = [];
    }
    if (next === undefined || windowOf(next) !== windowOf(r)) await shard.endWindow();
  }
}

const summaryOf = async (store: InMemorySummaryStore, name: string, minute: number) => (await store.get(name, T0 + minute * MINUTE))?.summary;

describe('AggregateMinutes in tumbling windows', () => {
  it('fills the table with exactly a GROUP BY over event-time minutes, across invocations and windows', async () => {
    // Prepare
    const { store, shard } = setup();
    const readings = fleet(35 * 60);

    // Act: batches of 10 s, windows of 15 min.
    await runWindows(shard, readings, 10, 900);

    // Assess
    expect(await tableOf(store, namesOf(readings))).toEqual(groupBy(readings));
  });

  it('keeps an open minute in the state, then writes it once, emitted, when the next minute begins, and publishes it', async () => {
    // Prepare
    const { store, publisher, shard } = setup();
    const readings = fleet(61, 1);

    // Act
    for (let s = 0; s < 60; s += 20) await shard.invoke(readings.slice(s, s + 20));
    const beforeClose = { writes: store.writeCount, published: publisher.published().length, open: shard.state.open.get('Shadowfax')?.offsets.length };
    await shard.invoke(readings.slice(60));

    // Assess
    expect(beforeClose).toEqual({ writes: 0, published: 0, open: 60 });
    expect(store.writeCount).toBe(1);
    expect(await store.get('Shadowfax', T0)).toMatchObject({ version: 1, emitted: true });
    expect(publisher.published()).toEqual([await summaryOf(store, 'Shadowfax', 0)]);
    expect(shard.state.open.get('Shadowfax')?.windowStart).toBe(T0 + MINUTE);
  });

  it('flushes the open minutes as pending at the window\'s end, publishes nothing for them, and drops the state', async () => {
    // Prepare
    const { store, publisher, shard } = setup();
    await shard.invoke(fleet(30, 2));

    // Act
    const result = await shard.endWindow();

    // Assess
    expect(result).toMatchObject({ flushed: 2, windowsChanged: 2, emitted: [] });
    expect(shard.state.open.size).toBe(0);
    expect(await store.get('Shadowfax', T0)).toMatchObject({ version: 1, emitted: false });
    expect(publisher.published()).toEqual([]);
  });

  it('emits, in the next window, a minute the previous one flushed: published as stored, then marked', async () => {
    // Prepare: the window ends on a minute boundary, with minute 0 complete but not known to be closed.
    const { store, publisher, shard } = setup();
    const readings = fleet(61, 1);
    await shard.invoke(readings.slice(0, 60));
    await shard.endWindow();
    const writesBefore = store.writeCount;

    // Act
    await shard.invoke(readings.slice(60));

    // Assess
    expect(publisher.published().map((s) => [s.StatusTime, s.Readings])).toEqual([['2026-12-01 09:01:00.000', 60]]);
    expect(await store.get('Shadowfax', T0)).toMatchObject({ version: 1, emitted: true });
    expect(store.writeCount - writesBefore).toBe(1);
  });

  it('publishes a minute that spans two windows whole, when it closes in the second', async () => {
    // Prepare
    const { store, publisher, shard } = setup();
    const readings = fleet(61, 1);
    await shard.invoke(readings.slice(0, 30));
    await shard.endWindow();

    // Act: the second window brings the rest of minute 0 (it merges with the stored pending one), then minute 1.
    await shard.invoke(readings.slice(30, 50));
    await shard.invoke(readings.slice(50));

    // Assess
    expect(publisher.published().map((s) => [s.StatusTime, s.Readings])).toEqual([['2026-12-01 09:01:00.000', 60]]);
    expect(await store.get('Shadowfax', T0)).toMatchObject({ version: 2, emitted: true });
  });

  it('emits a pending minute newer than anything a late-first window holds, once the unicorn moves on', async () => {
    // Prepare: the first window ends with minute 1 pending; the next one starts with a late reading of minute 0.
    const { publisher, shard } = setup();
    const readings = fleet(121, 1);
    const late = readings[10]!;
    await shard.invoke(readings.slice(0, 90).filter((r) => r !== late));
    await shard.endWindow();
    const publishedBefore = publisher.published().length;

    // Act
    await shard.invoke([late]);
    await shard.invoke(readings.slice(90));

    // Assess: minute 0, corrected, at once (a later minute is known); minute 1 when minute 2 begins.
    expect(publisher.published().slice(publishedBefore).map((s) => [s.StatusTime, s.Readings])).toEqual([
      ['2026-12-01 09:01:00.000', 60], ['2026-12-01 09:02:00.000', 60],
    ]);
  });

  it('replaying an invocation with the same input state changes nothing in the table and publishes again only what it closed', async () => {
    // Prepare: the first window flushes minute 0 of two unicorns; in the second, invocation A finds it pending and
    // closed (published, then marked), invocation B closes minute 1 from the state.
    const { store, publisher, shard } = setup();
    const readings = fleet(121, 2);
    const names = namesOf(readings);
    await shard.invoke(readings.slice(0, 120));
    await shard.endWindow();
    const replay = async (batch: Reading[]) => {
      const input = shard.state;
      const first = await shard.invoke(batch);
      const [table, writes, published] = [await snapshotOf(store, names), store.writeCount, publisher.published().length];
      const again = await shard.aggregate.execute(batch, input, { final: false });
      return { first, again, unchanged: { table: await snapshotOf(store, names), writes: store.writeCount }, before: { table, writes }, republished: publisher.published().slice(published) };
    };

    // Act
    const a = await replay(readings.slice(120, 180));
    const b = await replay(readings.slice(180));

    // Assess
    for (const run of [a, b]) {
      expect(run.unchanged).toEqual(run.before);
      expect(run.again.state).toEqual(run.first.state);
      expect(run.republished).toEqual(run.again.emitted);
    }
    expect(a.first.emitted.map((s) => s.StatusTime)).toEqual(['2026-12-01 09:01:00.000', '2026-12-01 09:01:00.000']);
    expect(a.again.emitted).toEqual([]);
    expect(b.first.emitted.map((s) => s.StatusTime)).toEqual(['2026-12-01 09:02:00.000', '2026-12-01 09:02:00.000']);
    expect(b.again.emitted).toEqual(b.first.emitted);
  });

  it('leaves the same table and publishes the same summaries through duplicated, failed, retried and bisected deliveries', async () => {
    // Prepare
    const clean = setup();
    const messy = setup();
    const readings = fleet(150);
    const batches = Array.from({ length: 10 }, (_, i) => readings.slice(i * 45, (i + 1) * 45));

    // Act
    for (const batch of batches) await clean.shard.invoke(batch);
    await clean.shard.endWindow();
    let failures = 0;
    for (const [i, batch] of batches.entries()) {
      const withDuplicates = [...batch, ...batch.slice(0, 5)];
      // The summary stream refuses the invocation's publish (if it closes anything): Lambda retries it.
      messy.publisher.failNext = true;
      const failed = await messy.shard.invoke(withDuplicates).then(() => false, () => true);
      messy.publisher.failNext = false;
      if (!failed) continue;
      failures++;
      if (i % 2 === 0) {
        // Bisected: each half in turn, the second with the first half's state.
        await messy.shard.invoke(withDuplicates.slice(0, 20));
        await messy.shard.invoke(withDuplicates.slice(20));
      } else {
        await messy.shard.invoke(withDuplicates);
      }
    }
    await messy.shard.endWindow();

    // Assess
    expect(failures).toBeGreaterThanOrEqual(2);
    const names = namesOf(readings);
    expect(await tableOf(messy.store, names)).toEqual(await tableOf(clean.store, names));
    const unique = (s: MinuteSummary[]) => [...new Map(s.map((x) => [JSON.stringify(x), x])).values()].sort(bySummaryKey);
    expect(unique(messy.publisher.published())).toEqual(unique(clean.publisher.published()));
  });

  it('re-emits a minute corrected by a late reading, in the same window and in a later one', async () => {
    // Prepare
    const { store, publisher, shard } = setup();
    const readings = fleet(190, 1);
    const [lateSameWindow, lateNextWindow] = [readings[10]!, readings[70]!];
    const onTime = readings.filter((r) => r !== lateSameWindow && r !== lateNextWindow);

    // Act
    await shard.invoke(onTime.slice(0, 100));
    await shard.invoke([lateSameWindow]);
    await shard.invoke(onTime.slice(100, 150));
    await shard.endWindow();
    await shard.invoke([lateNextWindow]);
    await shard.invoke(onTime.slice(150));

    // Assess
    const emittedOf = (statusTime: string) => publisher.published().filter((s) => s.StatusTime === statusTime).map((s) => s.Readings);
    expect(emittedOf('2026-12-01 09:01:00.000')).toEqual([59, 60]);
    expect(emittedOf('2026-12-01 09:02:00.000')).toEqual([59, 60]);
    expect((await summaryOf(store, 'Shadowfax', 1))?.Readings).toBe(60);
  });

  it('does not lose a summary when publishing fails: the retried invocation publishes it again', async () => {
    // Prepare
    const { publisher, shard } = setup();
    const readings = fleet(70, 1);
    await shard.invoke(readings.slice(0, 60));
    publisher.failNext = true;

    // Act
    await expect(shard.invoke(readings.slice(60))).rejects.toThrow();
    await shard.invoke(readings.slice(60));

    // Assess
    expect(publisher.published().map((s) => [s.Name, s.Readings])).toEqual([['Shadowfax', 60]]);
  });

  it('flushes open minutes early when the state outgrows its budget, and still ends with the GROUP BY and every closed minute emitted', async () => {
    // Prepare: a budget of ~2 unicorns' open minutes for a fleet of 5.
    const { store, publisher, shard } = setup({ maxStateBytes: 1_500 });
    const readings = fleet(200, 5);

    // Act
    await runWindows(shard, readings, 10, 900);

    // Assess
    expect(await tableOf(store, namesOf(readings))).toEqual(groupBy(readings));
    const lastMinute = '2026-12-01 09:04:00.000';
    expect([...new Set(publisher.published().map((s) => `${s.Name}@${s.StatusTime}`))].sort())
      .toEqual(groupBy(readings).filter((s) => s.StatusTime < lastMinute).map((s) => `${s.Name}@${s.StatusTime}`).sort());
    expect(shard.state.open.size).toBe(0);
  });

  it('does nothing for an empty invocation that does not end the window', async () => {
    const { store, shard } = setup();
    await shard.invoke(fleet(5, 1));
    const state = shard.state;
    expect(await shard.invoke([])).toMatchObject({ windowsChanged: 0, windowsUnchanged: 0, emitted: [], flushed: 0 });
    expect(shard.state).toEqual(state);
    expect(store.writeCount).toBe(0);
  });

  it('emits the workshop\'s summary fields with the window end as StatusTime', async () => {
    const { publisher, shard } = setup();
    await shard.invoke(fleet(61, 1));
    const [summary] = publisher.published();
    expect(summary).toMatchObject({ Name: 'Shadowfax', StatusTime: '2026-12-01 09:01:00.000', WindowStart: '2026-12-01 09:00:00.000', Readings: 60 });
    expect(Object.keys(summary!).sort()).toEqual(['Distance', 'MaxHealthPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MinMagicPoints', 'Name', 'Readings', 'StatusTime', 'WindowStart']);
  });
});

describe('any split into invocations and windows, with duplicates, late readings, failures, replays and bisection (property-based)', () => {
  /** How one invocation is delivered. */
  type Delivery = 'once' | 'replayed' | 'failed-then-retried' | 'failed-then-bisected';
  const scenarioArb = fc.record({
    seed: fc.nat(1000),
    unicorns: fc.integer({ min: 1, max: 3 }),
    seconds: fc.integer({ min: 30, max: 300 }),
    duplicateEvery: fc.option(fc.integer({ min: 2, max: 9 }), { nil: undefined }),
    lateEvery: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
    lateBySeconds: fc.integer({ min: 1, max: 150 }),
    cuts: fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 12 }),
    windowEnds: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
    deliveries: fc.array(fc.constantFrom<Delivery>('once', 'once', 'replayed', 'failed-then-retried', 'failed-then-bisected'), { minLength: 1, maxLength: 12 }),
    maxStateBytes: fc.option(fc.integer({ min: 500, max: 4_000 }), { nil: undefined }),
  });

  it('leaves the table equal to a GROUP BY, and publishes every closed minute with its final content', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, async (scenario) => {
      // Prepare: the stream as one shard delivers it — in order, with the producer's duplicates and late readings.
      const sim = new FleetSimulation({
        seed: scenario.seed, unicorns: scenario.unicorns, startTime: T0,
        scenarios: { duplicateEvery: scenario.duplicateEvery, lateEvery: scenario.lateEvery, lateBySeconds: scenario.lateBySeconds },
      });
      const stream = [...Array.from({ length: scenario.seconds }, () => sim.tick()).flat(), ...sim.flushLate()].map((r) => r.reading!);
      const { store, publisher, shard } = setup(scenario.maxStateBytes === undefined ? {} : { maxStateBytes: scenario.maxStateBytes });

      // Act
      for (let i = 0, k = 0; i < stream.length; k++) {
        const batch = stream.slice(i, i + scenario.cuts[k % scenario.cuts.length]!);
        i += batch.length;
        const delivery = scenario.deliveries[k % scenario.deliveries.length]!;
        if (delivery === 'failed-then-retried' || delivery === 'failed-then-bisected') {
          publisher.failNext = true;
          await shard.invoke(batch).catch(() => undefined);
          publisher.failNext = false;
        }
        if (delivery === 'failed-then-bisected' && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await shard.invoke(batch.slice(0, half));
          await shard.invoke(batch.slice(half));
        } else {
          const input = shard.state;
          await shard.invoke(batch);
          if (delivery === 'replayed') await shard.aggregate.execute(batch, input, { final: false });
        }
        if (scenario.windowEnds[k % scenario.windowEnds.length]!) await shard.endWindow();
      }
      await shard.endWindow();

      // Assess: the table is the GROUP BY of the distinct readings.
      const readings = distinct(stream);
      const expected = groupBy(readings);
      expect(await tableOf(store, namesOf(readings))).toEqual(expected);
      // Every minute but each unicorn's newest is closed: its last published summary is the table's.
      const newest = new Map<string, string>();
      for (const s of expected) if ((newest.get(s.Name) ?? '') < s.StatusTime) newest.set(s.Name, s.StatusTime);
      const lastPublished = new Map(publisher.published().map((s) => [`${s.Name}@${s.StatusTime}`, s]));
      for (const s of expected) {
        if (newest.get(s.Name) === s.StatusTime) expect(lastPublished.has(`${s.Name}@${s.StatusTime}`)).toBe(false);
        else expect(lastPublished.get(`${s.Name}@${s.StatusTime}`)).toEqual(s);
      }
    }), {
      numRuns: 60,
      // Found by CI: a close marked emitted, its publishing failed, the bisected retry held the minute open and
      // flushed it under a small state budget; left marked, it was never published.
      examples: [[{
        seed: 0, unicorns: 2, seconds: 121, duplicateEvery: 2, lateEvery: 36, lateBySeconds: 66, cuts: [74, 10, 29],
        windowEnds: [false], deliveries: ['failed-then-bisected', 'once', 'once'], maxStateBytes: 867,
      }]],
    });
  });
});

describe('cost of a steady fleet (a count, not a timing)', () => {
  it('writes ≤ 20 units per 1,000 readings: 100 unicorns, 1 reading/s, 1-s batches, 900-s windows (docs/adr/0008)', async () => {
    // Prepare: 45 minutes, three windows. The first starts on an empty table; the next two are the steady state.
    const { store, shard } = setup();
    const readings = fleet(45 * 60, 100, 3);
    const firstWindow = readings.filter((r) => r.time < T0 + 15 * MINUTE);

    // Act
    await runWindows(shard, firstWindow, 1, 900);
    const warmUp = store.operations.length;
    await runWindows(shard, readings.slice(firstWindow.length), 1, 900);

    // Assess: priced by DynamoDB's rules on the real item sizes (priceOf, below).
    const per1000 = (units: number, count: number) => Math.round((units * 1000 / count) * 100) / 100;
    const all = priceOf(store.operations);
    const steady = priceOf(store.operations.slice(warmUp));
    const steadyReadings = readings.length - firstWindow.length;
    const measured = {
      all: { writeUnits: per1000(all.writeUnits, readings.length), readUnits: per1000(all.readUnits, readings.length) },
      steady: { writeUnits: per1000(steady.writeUnits, steadyReadings), readUnits: per1000(steady.readUnits, steadyReadings), ...steady.counts },
    };
    console.info('per 1,000 readings:', JSON.stringify(measured));
    // Per unicorn and 15-minute window: 14 minutes closed (one put each, emitted in the same write), the open one
    // flushed at the end (one put), and the one the previous window flushed marked (one update): 16 writes per 900
    // readings. Reads: a BatchGetItem key per write that merges (15 × 0.5) and one lookup Query over the 15 items of
    // the last 15 minutes (12.8 KB: 4 × 4 KB, 2 RRU): 9.5 per 900 readings.
    expect(measured.steady).toEqual({ writeUnits: 17.78, readUnits: 10.56, batchGetKeys: 3000, queries: 200, queriedItems: 3000, writes: 3200 });
    expect(measured.steady.writeUnits).toBeLessThanOrEqual(20);
    expect(measured.all).toEqual({ writeUnits: 17.41, readUnits: 10 });
  });
});

/**
 * The capacity units the DynamoDB adapter would consume for the requests the fake logged, by DynamoDB's rules on
 * the real item sizes (summary-item.mapper.ts): a BatchGetItem key, eventually consistent, 0.5 RRU per 4 KB of its
 * item (0.5 for a missing one); a Query 0.5 RRU per 4 KB of all the items in its key range (the filter applies after
 * the read), at least 0.5; a PutItem or UpdateItem 1 WRU per KB of the item, applied or not.
 */
function priceOf(operations: readonly SummaryStoreOperation[]) {
  const size = (p: MinutePartial, emitted = true) => dynamoDbItemSize(toSummaryItem(p, 12, { emitted }));
  let readUnits = 0, writeUnits = 0;
  const counts = { batchGetKeys: 0, queries: 0, queriedItems: 0, writes: 0 };
  for (const op of operations) {
    if (op.kind === 'read') {
      counts.batchGetKeys++;
      readUnits += 0.5 * Math.max(1, Math.ceil((op.stored === undefined ? 0 : size(op.stored)) / 4096));
    } else if (op.kind === 'query') {
      counts.queries++;
      counts.queriedItems += op.scanned.length;
      readUnits += 0.5 * Math.max(1, Math.ceil(op.scanned.reduce((sum, p) => sum + size(p), 0) / 4096));
    } else {
      counts.writes++;
      writeUnits += Math.ceil(size(op.partial, op.emitted) / 1024);
    }
  }
  return { readUnits, writeUnits, counts };
}
