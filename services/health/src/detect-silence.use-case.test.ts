import { describe, expect, it } from 'vitest';
import { InMemoryAlertPublisher, InMemoryHealthStore } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY, type Reading } from '@wildrydes/domain';
import { DetectSilence } from './detect-silence.use-case';
import { TrackHealth } from './track-health.use-case';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (second: number, name = 'Rocinante'): Reading => ({
  name, time: T0 + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints: 150,
});
const options = { policy: DEFAULT_HEALTH_POLICY, lastSeenRefreshMs: 10_000, maxConflictRetries: 3 };

describe('DetectSilence', () => {
  const setup = async () => {
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher();
    const track = new TrackHealth(store, alerts, options);
    await track.execute([reading(0), reading(0, 'Shadowfax')]);
    await track.execute([reading(25, 'Shadowfax')]);
    return { store, alerts, track, detect: new DetectSilence(store, alerts, options) };
  };

  it('silences only unicorns unseen past the threshold plus the refresh lag, once', async () => {
    const { alerts, detect } = await setup();
    expect((await detect.execute(T0 + 39_000)).alerts).toEqual([]);
    const first = await detect.execute(T0 + 41_000);
    expect(first.alerts.map((a) => [a.name, a.kind])).toEqual([['Rocinante', 'UnicornSilent']]);
    expect((await detect.execute(T0 + 50_000)).alerts).toEqual([]);
    expect(alerts.published().filter((a) => a.kind === 'UnicornSilent')).toHaveLength(1);
  });

  it('lets the next reading bring a silent unicorn back', async () => {
    const { alerts, track, detect } = await setup();
    await detect.execute(T0 + 41_000);
    await track.execute([reading(90)]);
    expect(alerts.published().map((a) => a.kind)).toEqual(['UnicornSilent', 'UnicornBack']);
  });

  it('leaves a unicorn that reported during the scan to the next scan', async () => {
    const { store, track, detect } = await setup();
    store.interleaveBeforeNextWrite(() => track.execute([reading(40)]));
    const result = await detect.execute(T0 + 41_000);
    expect(result.conflicts).toEqual(['Rocinante']);
    expect((await store.load(['Rocinante'])).get('Rocinante')?.state.silent).toBe(false);
  });
});
