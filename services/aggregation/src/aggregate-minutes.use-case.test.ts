import { describe, expect, it } from 'vitest';
import { InMemorySummaryPublisher, InMemorySummaryStore } from '@wildrydes/test-kit';
import { FleetSimulation, type MinuteSummary, type Reading } from '@wildrydes/domain';
import { AggregateMinutes } from './aggregate-minutes.use-case';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const fleet = (seconds: number, unicorns = 3): Reading[] => {
  const sim = new FleetSimulation({ seed: 11, unicorns, startTime: T0 });
  return Array.from({ length: seconds }, () => sim.tick()).flat().map((r) => r.reading!);
};
const batches = (readings: readonly Reading[], size: number): Reading[][] =>
  Array.from({ length: Math.ceil(readings.length / size) }, (_, i) => readings.slice(i * size, (i + 1) * size));

/** A plain GROUP BY over event-time minutes: what the table must equal. */
function groupBy(readings: readonly Reading[]): MinuteSummary[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const key = `${r.name}|${r.time - (r.time % 60_000)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const fmt = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');
  return [...groups.values()].map((rs) => {
    const start = rs[0]!.time - (rs[0]!.time % 60_000);
    const sorted = [...rs].sort((a, b) => a.time - b.time);
    return {
      Name: rs[0]!.name, StatusTime: fmt(start + 60_000), WindowStart: fmt(start),
      Distance: Math.round(sorted.reduce((s, r) => s + r.distance, 0) * 1000) / 1000,
      MinMagicPoints: Math.min(...rs.map((r) => r.magicPoints)), MaxMagicPoints: Math.max(...rs.map((r) => r.magicPoints)),
      MinHealthPoints: Math.min(...rs.map((r) => r.healthPoints)), MaxHealthPoints: Math.max(...rs.map((r) => r.healthPoints)),
      Readings: rs.length,
    };
  }).sort(bySummaryKey);
}
const bySummaryKey = (a: MinuteSummary, b: MinuteSummary) => (a.Name + a.StatusTime).localeCompare(b.Name + b.StatusTime);
const tableOf = async (store: InMemorySummaryStore, names: string[]) =>
  (await Promise.all(names.map((n) => store.listByName(n)))).flat().map((s) => s.summary).sort(bySummaryKey);
const NAMES = ['Shadowfax', 'Bucephalus', 'Rocinante'];

const setup = () => {
  const store = new InMemorySummaryStore();
  const publisher = new InMemorySummaryPublisher();
  return { store, publisher, aggregate: new AggregateMinutes(store, publisher, { emissionLookbackMs: 10 * 60_000 }) };
};

describe('AggregateMinutes', () => {
  it('fills the table with exactly a GROUP BY over event-time minutes', async () => {
    const { store, aggregate } = setup();
    const readings = fleet(200);
    for (const batch of batches(readings, 37)) await aggregate.execute(batch);
    expect(await tableOf(store, NAMES)).toEqual(groupBy(readings));
  });

  it('emits each closed minute once, in order, and never the open one', async () => {
    const { publisher, aggregate } = setup();
    const readings = fleet(200);
    for (const batch of batches(readings, 37)) await aggregate.execute(batch);
    const emitted = publisher.published();
    const closed = groupBy(readings).filter((s) => s.StatusTime <= '2026-12-01 09:03:00.000');
    expect([...emitted].sort(bySummaryKey)).toEqual(closed);
    expect(new Set(emitted.map((s) => s.Name + s.StatusTime)).size).toBe(emitted.length);
  });

  it('changes nothing and emits nothing new when batches are redelivered, duplicated and bisected', async () => {
    const clean = setup();
    const messy = setup();
    const readings = fleet(150);
    for (const batch of batches(readings, 50)) await clean.aggregate.execute(batch);
    for (const batch of batches(readings, 50)) {
      await messy.aggregate.execute(batch);
      await messy.aggregate.execute(batch);
      await messy.aggregate.execute(batch.slice(0, 25));
      await messy.aggregate.execute([...batch.slice(25), ...batch.slice(25, 30)]);
    }
    expect(await tableOf(messy.store, NAMES)).toEqual(await tableOf(clean.store, NAMES));
    expect([...messy.publisher.published()].sort(bySummaryKey)).toEqual([...clean.publisher.published()].sort(bySummaryKey));
  });

  it('lets a late reading update its own minute and re-emits the corrected summary when the next minute begins', async () => {
    const { store, publisher, aggregate } = setup();
    const readings = fleet(130, 1);
    const late = readings[10]!;
    const onTime = readings.filter((r) => r !== late);
    await aggregate.execute(onTime.slice(0, 70));
    await aggregate.execute([late]);
    await aggregate.execute(onTime.slice(70));
    const first = (await store.listByName('Shadowfax'))[0]!;
    expect(first.summary.Readings).toBe(60);
    const emittedFirstMinute = publisher.published().filter((s) => s.StatusTime === first.summary.StatusTime);
    expect(emittedFirstMinute.map((s) => s.Readings)).toEqual([59, 60]);
  });

  it('does not lose a summary when emission fails: the redelivered batch emits it', async () => {
    const { publisher, aggregate } = setup();
    const readings = fleet(70, 1);
    await aggregate.execute(readings.slice(0, 60));
    publisher.failNext = true;
    await expect(aggregate.execute(readings.slice(60))).rejects.toThrow();
    await aggregate.execute(readings.slice(60));
    expect(publisher.published().map((s) => [s.Name, s.Readings])).toEqual([['Shadowfax', 60]]);
  });

  it('does nothing for an empty batch', async () => {
    const { store, aggregate } = setup();
    expect(await aggregate.execute([])).toEqual({ windowsChanged: 0, windowsUnchanged: 0, emitted: [] });
    expect(store.writeCount).toBe(0);
  });

  it('emits the workshop\'s summary fields with the window end as StatusTime', async () => {
    const { publisher, aggregate } = setup();
    await aggregate.execute(fleet(61, 1));
    const [summary] = publisher.published();
    expect(summary).toMatchObject({ Name: 'Shadowfax', StatusTime: '2026-12-01 09:01:00.000', WindowStart: '2026-12-01 09:00:00.000', Readings: 60 });
    expect(Object.keys(summary!).sort()).toEqual(['Distance', 'MaxHealthPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MinMagicPoints', 'Name', 'Readings', 'StatusTime', 'WindowStart']);
  });
});
