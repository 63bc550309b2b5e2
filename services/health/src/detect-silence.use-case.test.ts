import { describe, expect, it } from 'vitest';
import { InMemoryAlertPublisher, InMemoryHealthStore, InMemoryShardActivity } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY, healthyState, type Reading } from '@wildrydes/domain';
import { DetectSilence } from './detect-silence.use-case';
import { TrackHealth } from './track-health.use-case';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const SHARD = 'shardId-000000000000';
const reading = (second: number, name = 'Rocinante'): Reading => ({
  name, time: T0 + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints: 150,
});
const options = { policy: DEFAULT_HEALTH_POLICY, lastSeenSaveIntervalMs: 10_000, idleShardAfterMs: 30_000, maxConflictRetries: 3 };

describe('DetectSilence', () => {
  /** Rocinante last reported at 0 s, Shadowfax at 25 s; the shard's record was last saved at 25.5 s (wall clock). */
  const setup = async () => {
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher();
    const activity = new InMemoryShardActivity([SHARD]);
    const track = new TrackHealth(store, alerts, options);
    activity.arrive(SHARD, T0 + 100);
    await track.execute({ shardId: SHARD, readings: [reading(0), reading(0, 'Shadowfax')], now: T0 + 500 });
    activity.arrive(SHARD, T0 + 25_100);
    await track.execute({ shardId: SHARD, readings: [reading(25, 'Shadowfax')], now: T0 + 25_500 });
    return { store, alerts, activity, track, detect: new DetectSilence(store, alerts, activity, options) };
  };

  it('leaves a shard whose handler is still saving to its handler', async () => {
    const { detect } = await setup();
    expect((await detect.execute(T0 + 50_000)).alerts).toEqual([]);
  });

  it('judges an idle shard by the clock: unicorns unseen past the threshold go silent, once', async () => {
    // Prepare
    const { alerts, detect } = await setup();

    // Act
    const first = await detect.execute(T0 + 56_000);
    const again = await detect.execute(T0 + 70_000);

    // Assess
    expect(first.alerts.map((a) => [a.name, a.kind, a.readingTime])).toEqual([
      ['Rocinante', 'UnicornSilent', '2026-11-22 10:00:00.000'], ['Shadowfax', 'UnicornSilent', '2026-11-22 10:00:25.000'],
    ]);
    expect(again.alerts).toEqual([]);
    expect(alerts.published().filter((a) => a.kind === 'UnicornSilent')).toHaveLength(2);
  });

  it('judges unicorns the record carries without an item, with the record\'s position; an item, where there is one, wins', async () => {
    // Prepare: no first state written (allowance 0), so the record carries both unicorns; Shadowfax got an item since.
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher();
    const activity = new InMemoryShardActivity([SHARD]);
    const track = new TrackHealth(store, alerts, { ...options, firstStateWritesPerBatch: 0 });
    activity.arrive(SHARD, T0 + 100);
    await track.execute({ shardId: SHARD, readings: [{ ...reading(0), latitude: 51.5 }, reading(0, 'Shadowfax')], now: T0 + 500 });
    const [shadowfax] = (await store.listShards()).map((r) => r.unstored?.get('Shadowfax'));
    await store.applyTransitions([{ state: { ...healthyState('Shadowfax', T0, shadowfax!), latitude: 10 }, expectedVersion: undefined }]);
    const detect = new DetectSilence(store, alerts, activity, options);

    // Act
    const first = await detect.execute(T0 + 56_000);
    const again = await detect.execute(T0 + 70_000);

    // Assess
    expect(first.alerts.map((a) => [a.name, a.kind, a.readingTime, a.latitude])).toEqual([
      ['Rocinante', 'UnicornSilent', '2026-11-22 10:00:00.000', 51.5], ['Shadowfax', 'UnicornSilent', '2026-11-22 10:00:00.000', 10],
    ]);
    expect(first.conflicts).toEqual([]);
    expect(again.alerts).toEqual([]);
    expect((await store.load(['Rocinante', 'Shadowfax'])).get('Rocinante')).toMatchObject({ version: 1, state: { silent: true, latitude: 51.5 } });
  });

  it('leaves a shard that is behind to its handler: records kept arriving after its last save', async () => {
    // Prepare: the handler is stuck in one long invocation (or far behind) while Shadowfax keeps reporting.
    const { alerts, activity, detect } = await setup();
    for (let second = 26; second <= 55; second++) activity.arrive(SHARD, T0 + second * 1000 + 100);

    // Act
    const result = await detect.execute(T0 + 56_000);

    // Assess
    expect(result.alerts).toEqual([]);
    expect(result.busyShards).toEqual([SHARD]);
    expect(alerts.published().filter((a) => a.kind === 'UnicornSilent')).toEqual([]);
  });

  it('leaves a shard whose handler saved far behind the stream to it, though the producer stopped before that save', async () => {
    // Prepare: records arrive for 90 s, then stop; the handler, 70 s behind, saves at 90 s having applied 20 s.
    const store = new InMemoryHealthStore();
    const alerts = new InMemoryAlertPublisher();
    const activity = new InMemoryShardActivity([SHARD]);
    for (let second = 0; second <= 90; second++) activity.arrive(SHARD, T0 + second * 1000 + 100);
    const track = new TrackHealth(store, alerts, options);
    await track.execute({ shardId: SHARD, readings: [reading(20)], arrivals: new Map([['Rocinante', T0 + 20_100]]), now: T0 + 90_000 });
    const detect = new DetectSilence(store, alerts, activity, options);

    // Act: 40 s after the save, 110 s after Rocinante's last applied reading; nothing arrived since the save
    const result = await detect.execute(T0 + 130_000);

    // Assess: its 70 s of unapplied records make it busy, not silent
    expect(result.alerts).toEqual([]);
    expect(result.busyShards).toEqual([SHARD]);
  });

  it('counts records that arrived within one save interval of the last save as processed: the shard is idle', async () => {
    // Prepare: a last batch too soon after the save to be saved itself; then nothing.
    const { activity, detect } = await setup();
    activity.arrive(SHARD, T0 + 30_000);

    // Act
    const result = await detect.execute(T0 + 70_000);

    // Assess
    expect(result.alerts.map((a) => [a.name, a.kind])).toEqual([['Rocinante', 'UnicornSilent'], ['Shadowfax', 'UnicornSilent']]);
    expect(result.busyShards).toEqual([]);
  });

  it('raises nothing for a shard the stream cannot answer for, and judges it at the next scan', async () => {
    // Prepare
    const { activity, detect } = await setup();
    activity.failWith(new Error('Rate exceeded for shard shardId-000000000000'));

    // Act
    const unsure = await detect.execute(T0 + 56_000);
    activity.failWith(undefined);
    const next = await detect.execute(T0 + 116_000);

    // Assess
    expect(unsure).toMatchObject({ alerts: [], unansweredShards: [SHARD] });
    expect(next.alerts.map((a) => a.name)).toEqual(['Rocinante', 'Shadowfax']);
  });

  it('asks the stream only about shards that look idle', async () => {
    // Prepare
    const { activity, detect } = await setup();
    const asked = activity.questions;

    // Act
    await detect.execute(T0 + 40_000);

    // Assess
    expect(activity.questions).toBe(asked);
  });

  it('lets the next reading bring a silent unicorn back', async () => {
    // Prepare
    const { alerts, track, detect } = await setup();
    await detect.execute(T0 + 56_000);

    // Act
    await track.execute({ shardId: SHARD, readings: [reading(90)], now: T0 + 91_000 });

    // Assess
    expect(alerts.published().filter((a) => a.name === 'Rocinante').map((a) => a.kind)).toEqual(['UnicornSilent', 'UnicornBack']);
  });

  it('leaves a unicorn that reported during the scan to the next scan', async () => {
    // Prepare
    const { store, detect } = await setup();
    const other = new TrackHealth(store, new InMemoryAlertPublisher(), options);
    const lowOnHealth = { ...reading(40, 'Rocinante'), healthPoints: 90 };
    store.interleaveBeforeNextWrite(() => other.execute({ shardId: SHARD, readings: [lowOnHealth], now: T0 + 40_500 }));

    // Act
    const result = await detect.execute(T0 + 56_000);

    // Assess
    expect(result.conflicts).toEqual(['Rocinante']);
    expect((await store.load(['Rocinante'])).get('Rocinante')?.state.silent).toBe(false);
  });
});
