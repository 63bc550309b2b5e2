import { describe, expect, it } from 'vitest';
import { InMemoryAlertPublisher, InMemoryHealthStore } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY, healthyState, type Reading } from '@wildrydes/domain';
import { TrackHealth } from './track-health.use-case';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const SHARD = 'shardId-000000000000';
const reading = (second: number, health = 150, name = 'Bucephalus', magic = 150): Reading => ({
  name, time: T0 + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: magic, healthPoints: health,
});
const options = { policy: DEFAULT_HEALTH_POLICY, lastSeenSaveIntervalMs: 10_000, idleShardAfterMs: 30_000, maxConflictRetries: 3 };
/** A batch as the shard delivers it, processed a second after its newest reading. */
const batch = (readings: Reading[], shardId = SHARD) => ({ shardId, readings, now: Math.max(...readings.map((r) => r.time), T0) + 1_000 });
const setup = () => {
  const store = new InMemoryHealthStore();
  const alerts = new InMemoryAlertPublisher();
  return { store, alerts, trackHealth: new TrackHealth(store, alerts, options) };
};
const kinds = (alerts: InMemoryAlertPublisher) => alerts.published().map((a) => [a.name, a.kind]);

describe('TrackHealth: transitions', () => {
  it('stores a new unicorn and raises one alert per transition', async () => {
    // Prepare
    const { store, alerts, trackHealth } = setup();

    // Act
    const result = await trackHealth.execute(batch([reading(0, 150), reading(1, 99), reading(2, 98), reading(3, 40)]));

    // Assess
    expect(result.alerts.map((a) => a.kind)).toEqual(['VitalLow', 'VitalCritical']);
    expect(kinds(alerts)).toEqual([['Bucephalus', 'VitalLow'], ['Bucephalus', 'VitalCritical']]);
    expect(result).toMatchObject({ written: 1, failedUnicorns: [] });
    expect((await store.load(['Bucephalus'])).get('Bucephalus')?.state).toMatchObject({ healthPoints: 40, lastReadingTime: T0 + 3000, levels: { HealthPoints: 'critical' } });
  });

  it('writes a unicorn only on a transition, and its last-seen time with its shard every 10 s of readings', async () => {
    // Prepare
    const { store, trackHealth } = setup();

    // Act
    for (let second = 0; second < 60; second++) await trackHealth.execute(batch([reading(second), reading(second, 150, 'Shadowfax')]));

    // Assess: the first sight of each unicorn is its only write; the shard's record went out every 10 s.
    expect(store.writeCount).toBe(2);
    expect(store.shardSaveCount).toBe(6);
    expect((await store.loadShard(SHARD))?.lastSeen).toEqual(new Map([['Bucephalus', T0 + 50_000], ['Shadowfax', T0 + 50_000]]));
  });

  it('saves its shard\'s record after every batch while behind the stream, with the newest arrival applied, until it caught up', async () => {
    // Prepare: the handler applies readings that arrived 60 s before it runs, then catches up within 4 batches.
    const { store, trackHealth } = setup();
    const arrivingAt = (second: number) => new Map([['Bucephalus', T0 + second * 1000 + 100]]);
    const saves: (number | undefined)[] = [];

    // Act
    for (const [second, now] of [[0, 60], [1, 61], [2, 62], [62, 63], [63, 64], [64, 65]] as const) {
      await trackHealth.execute({ shardId: SHARD, readings: [reading(second)], arrivals: arrivingAt(second), now: T0 + now * 1000 });
      saves.push((await store.loadShard(SHARD))?.arrivedUntil);
    }

    // Assess: a save per batch while 60 s behind, one more once caught up (it shows the scan the handler is current), then none
    expect(saves).toEqual([T0 + 100, T0 + 1_100, T0 + 2_100, T0 + 62_100, T0 + 62_100, T0 + 62_100]);
    expect(store.shardSaveCount).toBe(4);
  });

  it('reads each unicorn once per instance', async () => {
    // Prepare
    const { store, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0), reading(0, 150, 'Shadowfax')]));
    const loadsAfterFirstBatch = store.loadCount;

    // Act
    for (let second = 1; second < 30; second++) await trackHealth.execute(batch([reading(second, 150 - second), reading(second, 150, 'Shadowfax')]));

    // Assess
    expect(loadsAfterFirstBatch).toBe(2);
    expect(store.loadCount).toBe(2);
  });

  it('changes nothing and alerts nothing when a batch is redelivered, to this instance or a new one', async () => {
    // Prepare
    const { store, alerts, trackHealth } = setup();
    const delivered = batch([reading(0, 150), reading(1, 99), reading(2, 40)]);
    await trackHealth.execute(delivered);
    const before = { writes: store.writeCount, alerts: alerts.published().length, state: await store.load(['Bucephalus']) };

    // Act
    const replay = await trackHealth.execute(delivered);
    const elsewhere = await new TrackHealth(store, alerts, options).execute(delivered);

    // Assess
    expect(replay).toMatchObject({ alerts: [], written: 0, failedUnicorns: [] });
    expect(elsewhere).toMatchObject({ alerts: [], written: 0, failedUnicorns: [] });
    expect([store.writeCount, alerts.published().length]).toEqual([before.writes, before.alerts]);
    expect(await store.load(['Bucephalus'])).toEqual(before.state);
  });

  it('re-reads and re-applies after losing a race to another instance, without duplicate alerts', async () => {
    // Prepare
    const { store, alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0)]));
    const competitor = new TrackHealth(store, new InMemoryAlertPublisher(), options);
    store.interleaveBeforeNextWrite(() => competitor.execute(batch([reading(5, 120)])));

    // Act: a transition computed from a cached state that the competitor made stale.
    const result = await trackHealth.execute(batch([reading(6, 90)]));

    // Assess
    expect(result.failedUnicorns).toEqual([]);
    expect(kinds(alerts)).toEqual([['Bucephalus', 'VitalLow']]);
    expect((await store.load(['Bucephalus'])).get('Bucephalus')?.state.lastReadingTime).toBe(T0 + 6000);
  });

  it('gives up on a unicorn after the conflict retries and reports it, keeping the others', async () => {
    // Prepare
    const { store, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0), reading(0, 150, 'Shadowfax')]));
    let round = 0;
    const interfere = (): void => {
      store.interleaveBeforeNextWrite(async () => {
        round++;
        // Older than ours, but a level change each time, so it is written and our write keeps losing.
        await new TrackHealth(store, new InMemoryAlertPublisher(), options).execute(batch([reading(round, round % 2 === 1 ? 90 : 150)]));
        interfere();
      });
    };
    interfere();

    // Act
    const result = await trackHealth.execute(batch([reading(50, 40), reading(50, 150, 'Shadowfax', 90)]));

    // Assess
    expect(result.failedUnicorns).toEqual(['Bucephalus']);
    expect((await store.load(['Shadowfax'])).get('Shadowfax')?.state.lastReadingTime).toBe(T0 + 50_000);
  });

  it('writes and remembers nothing for a unicorn whose alerts could not be published, so redelivery raises them', async () => {
    // Prepare
    const store = new InMemoryHealthStore();
    let failing = true;
    const alerts = new InMemoryAlertPublisher({ failureMode: () => failing });
    const trackHealth = new TrackHealth(store, alerts, options);

    // Act
    await expect(trackHealth.execute(batch([reading(0, 40)]))).rejects.toThrow();
    failing = false;
    const redelivered = await trackHealth.execute(batch([reading(0, 40)]));

    // Assess
    expect(redelivered.alerts.map((a) => a.kind)).toEqual(['VitalCritical']);
    expect((await store.load(['Bucephalus'])).get('Bucephalus')?.state.levels.HealthPoints).toBe('critical');
  });
});

describe('TrackHealth: silence, judged by the shard\'s own clock', () => {
  it('calls a unicorn silent once its shard\'s readings are 30 s past its last, with that reading\'s time', async () => {
    // Prepare
    const { alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0, 150, 'Rocinante'), reading(0, 150, 'Shadowfax')]));

    // Act
    for (let second = 1; second <= 31; second++) await trackHealth.execute(batch([reading(second, 150, 'Shadowfax')]));

    // Assess
    const silent = alerts.published().filter((a) => a.kind === 'UnicornSilent');
    expect(silent.map((a) => [a.name, a.readingTime])).toEqual([['Rocinante', '2026-11-22 10:00:00.000']]);
  });

  it('never calls a reporting unicorn silent when the service lags far behind the clock', async () => {
    // Prepare
    const { alerts, trackHealth } = setup();

    // Act: readings processed ten minutes after they were taken.
    for (let second = 0; second < 40; second++) {
      await trackHealth.execute({ shardId: SHARD, readings: [reading(second, 150, 'Rocinante'), reading(second, 150, 'Shadowfax')], now: T0 + 600_000 + second });
    }

    // Assess
    expect(alerts.published()).toEqual([]);
  });

  it('brings a silent unicorn back with its next reading', async () => {
    // Prepare
    const { alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0, 150, 'Rocinante'), reading(0, 150, 'Shadowfax')]));
    for (const second of [10, 20, 31]) await trackHealth.execute(batch([reading(second, 150, 'Shadowfax')]));

    // Act
    await trackHealth.execute(batch([reading(40, 150, 'Rocinante')]));

    // Assess
    expect(kinds(alerts).filter(([name]) => name === 'Rocinante')).toEqual([['Rocinante', 'UnicornSilent'], ['Rocinante', 'UnicornBack']]);
  });

  it('a new instance takes the shard over from its last-seen record and judges, 30 s on, unicorns it never hears from', async () => {
    // Prepare: the first instance saw Rocinante, saved the shard's record, then went away.
    const { store, alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0, 150, 'Rocinante'), reading(0, 150, 'Shadowfax')]));
    await trackHealth.execute(batch([reading(12, 150, 'Rocinante'), reading(12, 150, 'Shadowfax')]));
    const successor = new TrackHealth(store, alerts, options);

    // Act: the successor has never heard Rocinante itself, so it counts from its own first batch.
    for (const second of [20, 30, 40, 50]) await successor.execute(batch([reading(second, 150, 'Shadowfax')]));
    const early = alerts.published().filter((a) => a.kind === 'UnicornSilent').length;
    await successor.execute(batch([reading(51, 150, 'Shadowfax')]));

    // Assess
    expect(early).toBe(0);
    expect(alerts.published().filter((a) => a.kind === 'UnicornSilent').map((a) => [a.name, a.readingTime])).toEqual([['Rocinante', '2026-11-22 10:00:12.000']]);
  });

  it('a new instance judges a unicorn its shard\'s record carries without an item, and alerts with the record\'s position', async () => {
    // Prepare: no first state is written (allowance 0); the first instance saves Rocinante's position in the record.
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher();
    const keepInRecord = { ...options, firstStateWritesPerBatch: 0 };
    const first = new TrackHealth(store, alerts, keepInRecord);
    await first.execute(batch([{ ...reading(0, 150, 'Rocinante'), latitude: 51.5 }, reading(0, 150, 'Shadowfax')]));
    await first.execute(batch([{ ...reading(12, 150, 'Rocinante'), latitude: 51.6, magicPoints: 120 }, reading(12, 150, 'Shadowfax')]));
    const successor = new TrackHealth(store, alerts, keepInRecord);

    // Act
    for (const second of [20, 30, 40, 50, 51, 61]) await successor.execute(batch([reading(second, 150, 'Shadowfax')]));

    // Assess: silent from its last reading, where it was then; its state is written with the alert, and the record's
    // next save no longer carries it.
    expect(store.writeCount).toBe(1);
    expect(alerts.published().map((a) => [a.name, a.kind, a.readingTime, a.latitude])).toEqual([['Rocinante', 'UnicornSilent', '2026-11-22 10:00:12.000', 51.6]]);
    expect((await store.load(['Rocinante'])).get('Rocinante')?.state).toMatchObject({ silent: true, magicPoints: 120, lastReadingTime: T0 + 12_000 });
    expect((await store.loadShard(SHARD))?.unstored).toEqual(new Map([['Shadowfax', expect.objectContaining({ latitude: 40.75 })]]));
  });

  it('takes an item written meanwhile over its unwritten first state: the lost write is re-read and nothing is alerted twice', async () => {
    // Prepare: Rocinante is first seen healthy; before its first state goes out, another writer stores it silent.
    const { store, alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0, 150, 'Rocinante')]));
    store.interleaveBeforeNextWrite(() => store.applyTransitions([{ state: { ...healthyState('Rocinante', T0, reading(0)), silent: true }, expectedVersion: undefined }]));

    // Act: the next batch's first-state write loses; the re-read finds it silent, and its reading brings it back.
    const result = await trackHealth.execute(batch([reading(1, 150, 'Rocinante')]));

    // Assess
    expect(kinds(alerts)).toEqual([['Rocinante', 'UnicornBack']]);
    expect(result).toMatchObject({ written: 1, failedUnicorns: [] });
    expect((await store.load(['Rocinante'])).get('Rocinante')).toMatchObject({ version: 2, state: { silent: false, lastReadingTime: T0 + 1_000 } });
  });

  it('judges silence by arrival, so a packed unicorn heard every 25 s is never silent', async () => {
    // Prepare: Rocinante's readings come 25 at a time, 10 s after the pack's last reading; Shadowfax's every second.
    const { alerts, trackHealth } = setup();
    const arrivedAt = (second: number) => T0 + second * 1000 + 500;

    // Act
    for (let second = 0; second <= 100; second++) {
      const readings = [reading(second, 150, 'Shadowfax')];
      const arrivals = new Map([['Shadowfax', arrivedAt(second)]]);
      if (second % 25 === 24) {
        readings.push(...Array.from({ length: 25 }, (_, i) => reading(second - 34 + i, 150, 'Rocinante')));
        arrivals.set('Rocinante', arrivedAt(second));
      }
      await trackHealth.execute({ ...batch(readings), arrivals });
    }

    // Assess: by reading times Rocinante's newest lags the shard by up to 35 s, but it is heard every 25 s.
    expect(alerts.published()).toEqual([]);
  });

  it('counts a packed unicorn\'s silence from the end of its last pack\'s stretch, so a producer spacing packs 40 s apart raises nothing', async () => {
    // Prepare: Rocinante's packs of 25 readings arrive 40 s apart (a producer falling behind); Shadowfax every second.
    const { alerts, trackHealth } = setup();
    const arrivedAt = (second: number) => T0 + second * 1000 + 500;

    // Act
    for (let second = 0; second <= 130; second++) {
      const readings = [reading(second, 150, 'Shadowfax')];
      const arrivals = new Map([['Shadowfax', arrivedAt(second)]]);
      const heardUntil = new Map(arrivals);
      if (second % 40 === 24) {
        readings.push(...Array.from({ length: 25 }, (_, i) => reading(second - 24 + i, 150, 'Rocinante')));
        arrivals.set('Rocinante', arrivedAt(second));
        heardUntil.set('Rocinante', arrivedAt(second) + 24_000);
      }
      await trackHealth.execute({ ...batch(readings), arrivals, heardUntil });
    }

    // Assess: by arrivals alone Rocinante was quiet 40 s between packs.
    expect(alerts.published()).toEqual([]);
  });

  it('still calls a packed unicorn silent once its last pack\'s stretch has passed and 30 s more of the shard went by', async () => {
    // Prepare: one pack of Rocinante (readings 0–24, arrived at 24.5 s), then only Shadowfax.
    const { alerts, trackHealth } = setup();
    const arrivedAt = (second: number) => T0 + second * 1000 + 500;
    const pack = Array.from({ length: 25 }, (_, i) => reading(i, 150, 'Rocinante'));
    await trackHealth.execute({ ...batch([...pack, reading(24, 150, 'Shadowfax')]), arrivals: new Map([['Rocinante', arrivedAt(24)], ['Shadowfax', arrivedAt(24)]]), heardUntil: new Map([['Rocinante', arrivedAt(48)], ['Shadowfax', arrivedAt(24)]]) });
    const silentAt: number[] = [];

    // Act
    for (let second = 25; second <= 90; second++) {
      await trackHealth.execute({ ...batch([reading(second, 150, 'Shadowfax')]), arrivals: new Map([['Shadowfax', arrivedAt(second)]]) });
      if (alerts.published().some((a) => a.kind === 'UnicornSilent') && silentAt.length === 0) silentAt.push(second);
    }

    // Assess: silent 30 s after the stretch's end (48.5 s), i.e. 55 s after its last reading — within the 60 s promised.
    expect(silentAt).toEqual([79]);
    expect(alerts.published().filter((a) => a.kind === 'UnicornSilent').map((a) => [a.name, a.readingTime])).toEqual([['Rocinante', '2026-11-22 10:00:24.000']]);
  });

  it('keeps shards apart: one shard\'s clock never silences another shard\'s unicorns', async () => {
    // Prepare
    const { alerts, trackHealth } = setup();
    await trackHealth.execute(batch([reading(0, 150, 'Rocinante')], 'shard-a'));

    // Act
    await trackHealth.execute(batch([reading(100, 150, 'Shadowfax')], 'shard-b'));

    // Assess
    expect(alerts.published()).toEqual([]);
  });
});

describe('TrackHealth: cost', () => {
  it('takes, once every unicorn is known, about 0.1 writes and no reads per 1,000 readings (100 unicorns, 5 minutes, 1 reading/s)', async () => {
    // Prepare: the first sight of each unicorn costs one read; its first state is written by one of the next batches.
    const { store, trackHealth } = setup();
    const names = Array.from({ length: 100 }, (_, i) => `Unicorn-${i}`);
    for (let second = 0; second < 10; second++) await trackHealth.execute(batch(names.map((name) => reading(second, 150, name))));
    const warm = { unicornWrites: store.writeCount, saves: store.shardSaveCount, loads: store.loadCount };
    let readings = 0;

    // Act
    for (let second = 10; second < 310; second++) {
      await trackHealth.execute(batch(names.map((name) => reading(second, 150, name))));
      readings += names.length;
    }

    // Assess: only the shard's record, every 10 s; no unicorn read or written again.
    expect(warm).toEqual({ unicornWrites: 100, saves: 1, loads: 100 });
    expect(store.writeCount + store.shardSaveCount - warm.unicornWrites - warm.saves).toBe(30);
    expect(((store.writeCount + store.shardSaveCount - warm.unicornWrites - warm.saves) * 1000) / readings).toBe(1);
    expect(store.loadCount).toBe(warm.loads);
  });

  it('writes a new unicorn\'s first state at once when its shard\'s record already carries as many as it may', async () => {
    // Prepare: the record may carry 10 unicorns without an item; 30 arrive at once.
    const store = new InMemoryHealthStore();
    const trackHealth = new TrackHealth(store, new InMemoryAlertPublisher(), { ...options, maxUnstoredPerShard: 10 });
    const names = Array.from({ length: 30 }, (_, i) => `Unicorn-${String(i).padStart(2, '0')}`);

    // Act
    await trackHealth.execute(batch(names.map((name) => reading(0, 150, name))));

    // Assess
    expect(store.writeCount).toBe(20);
    expect([...(await store.loadShard(SHARD))?.unstored?.keys() ?? []]).toEqual(names.slice(0, 10));
    expect([...(await store.load(names)).keys()]).toEqual(names.slice(10));
  });

  it('spreads a new fleet\'s first states over its next batches, oldest first, and carries the rest in the shard\'s record', async () => {
    // Prepare: 60 healthy unicorns arrive at once; one comes in low.
    const { store, alerts, trackHealth } = setup();
    const names = Array.from({ length: 60 }, (_, i) => `Unicorn-${String(i).padStart(2, '0')}`);
    const second = (s: number) => batch([...names.map((name) => reading(s, 150, name)), reading(s, 40, 'Shadowfax')]);

    // Act
    await trackHealth.execute(second(0));
    const afterFirst = { written: store.writeCount, unstored: [...(await store.loadShard(SHARD))?.unstored?.keys() ?? []] };
    await trackHealth.execute(second(1));
    const afterSecond = store.writeCount;
    for (let s = 2; s < 11; s++) await trackHealth.execute(second(s));

    // Assess: the transition at once; no healthy first state in the burst, then 25 a batch, oldest first.
    expect(kinds(alerts)).toEqual([['Shadowfax', 'VitalCritical']]);
    expect(afterFirst).toEqual({ written: 1, unstored: names });
    expect(afterSecond).toBe(26);
    expect([...(await store.load(names.slice(0, 25))).keys()]).toEqual(names.slice(0, 25));
    expect(store.writeCount).toBe(61);
    expect((await store.loadShard(SHARD))?.unstored).toBeUndefined();
    // The first states written are the unicorns' states of the batch that wrote them, not of their first sight.
    expect((await store.load(['Unicorn-59'])).get('Unicorn-59')?.state.lastReadingTime).toBe(T0 + 3_000);
  });
});
