import { describe, expect, it } from 'vitest';
import { InMemoryAlertPublisher, InMemoryHealthStore } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY, type Reading } from '@wildrydes/domain';
import { TrackHealth } from './track-health.use-case';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (second: number, health = 150, name = 'Bucephalus', magic = 150): Reading => ({
  name, time: T0 + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: magic, healthPoints: health,
});
const options = { policy: DEFAULT_HEALTH_POLICY, lastSeenRefreshMs: 10_000, maxConflictRetries: 3 };
const setup = () => {
  const store = new InMemoryHealthStore();
  const alerts = new InMemoryAlertPublisher();
  return { store, alerts, trackHealth: new TrackHealth(store, alerts, options) };
};

describe('TrackHealth', () => {
  it('stores a new unicorn and raises one alert per transition', async () => {
    const { store, alerts, trackHealth } = setup();
    const result = await trackHealth.execute([reading(0, 150), reading(1, 99), reading(2, 98), reading(3, 40)]);
    expect(result.alerts.map((a) => a.kind)).toEqual(['VitalLow', 'VitalCritical']);
    expect(alerts.published().map((a) => a.kind)).toEqual(['VitalLow', 'VitalCritical']);
    expect(result).toMatchObject({ written: 1, failedUnicorns: [] });
    const stored = (await store.load(['Bucephalus'])).get('Bucephalus');
    expect(stored?.state).toMatchObject({ healthPoints: 40, lastReadingTime: T0 + 3000, levels: { HealthPoints: 'critical' } });
  });

  it('writes at most once per unicorn per batch and coalesces last-seen refreshes', async () => {
    const { store, trackHealth } = setup();
    await trackHealth.execute([reading(0), reading(1, 150, 'Shadowfax')]);
    expect(store.writeCount).toBe(2);
    await trackHealth.execute([reading(1), reading(2), reading(3)]);
    expect(store.writeCount).toBe(2);
    await trackHealth.execute([reading(10)]);
    expect(store.writeCount).toBe(3);
  });

  it('writes a state change at once, even inside the refresh interval', async () => {
    const { store, trackHealth } = setup();
    await trackHealth.execute([reading(0)]);
    await trackHealth.execute([reading(1, 99)]);
    expect(store.writeCount).toBe(2);
  });

  it('changes nothing and alerts nothing when a batch is redelivered', async () => {
    const { store, alerts, trackHealth } = setup();
    const batch = [reading(0, 150), reading(1, 99), reading(2, 40)];
    await trackHealth.execute(batch);
    const before = { writes: store.writeCount, alerts: alerts.published().length, state: await store.load(['Bucephalus']) };
    const replay = await trackHealth.execute(batch);
    expect(replay).toEqual({ alerts: [], written: 0, failedUnicorns: [] });
    expect([store.writeCount, alerts.published().length]).toEqual([before.writes, before.alerts]);
    expect(await store.load(['Bucephalus'])).toEqual(before.state);
  });

  it('re-reads and re-applies after losing a race, without duplicate alerts in one call', async () => {
    const { store, alerts, trackHealth } = setup();
    await trackHealth.execute([reading(0)]);
    const competitor = new TrackHealth(store, new InMemoryAlertPublisher(), options);
    store.interleaveBeforeNextWrite(() => competitor.execute([reading(5, 120)]));
    const result = await trackHealth.execute([reading(6, 90)]);
    expect(result.failedUnicorns).toEqual([]);
    expect(alerts.published().map((a) => a.kind)).toEqual(['VitalLow']);
    expect((await store.load(['Bucephalus'])).get('Bucephalus')?.state.lastReadingTime).toBe(T0 + 6000);
  });

  it('gives up on a unicorn after the conflict retries and reports it, keeping the others', async () => {
    const { store, trackHealth } = setup();
    await trackHealth.execute([reading(0), reading(0, 150, 'Shadowfax')]);
    let round = 0;
    const interfere = (): void => {
      store.interleaveBeforeNextWrite(async () => {
        round++;
        // Older than ours, but a level change each time, so it is written and our write keeps losing.
        await new TrackHealth(store, new InMemoryAlertPublisher(), options).execute([reading(round, round % 2 === 1 ? 90 : 150)]);
        interfere();
      });
    };
    interfere();
    const result = await trackHealth.execute([reading(50, 40), reading(50, 150, 'Shadowfax', 90)]);
    expect(result.failedUnicorns).toEqual(['Bucephalus']);
    expect((await store.load(['Shadowfax'])).get('Shadowfax')?.state.lastReadingTime).toBe(T0 + 50_000);
  });

  it('writes nothing for a unicorn whose alerts could not be published, so redelivery raises them', async () => {
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher({ failureMode: () => true });
    const trackHealth = new TrackHealth(store, alerts, options);
    await expect(trackHealth.execute([reading(0, 40)])).rejects.toThrow();
    expect(await store.load(['Bucephalus'])).toEqual(new Map());
  });
});
