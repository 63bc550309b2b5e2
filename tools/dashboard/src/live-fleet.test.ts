import { createAlert, type HealthReader, type Reading, type UnicornAlert } from '@wildrydes/domain';
import { aHealthState, InMemoryHealthStore } from '@wildrydes/test-kit';
import { describe, expect, it } from 'vitest';
import { InMemoryLiveSource } from './in-memory-live-source.fake';
import { LiveFleet, type LiveEvent } from './live-fleet';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (name: string, time: number): Reading => ({ name, time, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints: 150 });

function harness(health: HealthReader = new InMemoryHealthStore()) {
  const sources = { readings: new InMemoryLiveSource<Reading>(), alerts: new InMemoryLiveSource<UnicornAlert>(), minutesClosed: new InMemoryLiveSource<string>() };
  const errors: [string, string][] = [];
  let now = T0;
  const fleet = new LiveFleet({
    sources, health, clock: () => now, frameIntervalMs: 3_600_000, healthPollMs: 3_600_000,
    onError: (what, error) => errors.push([what, (error as Error).message]),
  });
  return { fleet, sources, errors, advance: (ms: number) => (now += ms) };
}

describe('LiveFleet', () => {
  it('reports a failing source or health read by name, and keeps the others going', async () => {
    // Prepare: a health table that cannot be read.
    const { fleet, sources, errors } = harness({ readAll: async () => { throw new Error('ProvisionedThroughputExceededException'); } });
    // Act
    await fleet.start();
    sources.readings.fail(new Error('ExpiredIteratorException'));
    sources.readings.push(reading('Pegasus', T0));
    // Assess
    expect(errors).toEqual([['health table', 'ProvisionedThroughputExceededException'], ['telemetry stream', 'ExpiredIteratorException']]);
    expect(fleet.view.unicorn('Pegasus')).toBeDefined();
    await fleet.stop();
    expect(Object.values(sources).every((s) => s.stopped)).toBe(true);
  });

  it('passes each alert on once, however often it is delivered, and keeps the last ones for pages that connect later', async () => {
    const { fleet, sources } = harness();
    await fleet.start();
    const events: LiveEvent[] = [];
    fleet.subscribe((event) => events.push(event));
    const silent = createAlert({ name: 'Pegasus', kind: 'UnicornSilent', vital: null, value: null, threshold: null, readingTime: T0, latitude: 40, longitude: -73 });

    sources.alerts.push(silent, silent);
    sources.alerts.push(silent);

    expect(events.filter((e) => e.type === 'alert')).toHaveLength(1);
    expect(fleet.alerts()).toEqual([silent]);
    expect(fleet.fleetLine()).toMatchObject({ alerts: 1, levels: { silent: 1 } });
    await fleet.stop();
  });

  it('measures readings per second between frames, and counts minutes emitted', async () => {
    const { fleet, sources, advance } = harness();
    await fleet.start();
    fleet.publishFrame();
    sources.readings.push(...Array.from({ length: 30 }, (_, i) => reading(`U${i}`, T0)));
    sources.minutesClosed.push('U1', 'U2');
    advance(2000);
    fleet.publishFrame();
    expect(fleet.fleetLine()).toMatchObject({ unicorns: 30, readingsPerSecond: 15, minutesEmitted: 2, quarantinedRecords: null });
    await fleet.stop();
  });

  it('reads the health table at start, so levels show before the first alert', async () => {
    const health = new InMemoryHealthStore();
    await health.applyTransitions([{ state: aHealthState('Bucephalus', { levels: { MagicPoints: 'warning', HealthPoints: 'ok' } }), expectedVersion: undefined }]);
    const { fleet } = harness(health);
    await fleet.start();
    expect(fleet.view.unicorn('Bucephalus')!.level).toBe('low');
    await fleet.stop();
  });
});
