import { createAlert, type Reading } from '@wildrydes/domain';
import { aHealthState } from '@wildrydes/test-kit';
import { describe, expect, it } from 'vitest';
import { FleetView, FRAME_FIELDS, LEVEL_CODES } from './fleet-view';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (name: string, time: number, overrides: Partial<Reading> = {}): Reading => ({
  name, time, latitude: 40.7491671234, longitude: -73.9851849876, distance: 30.256, magicPoints: 150, healthPoints: 140, ...overrides,
});

describe('FleetView', () => {
  it('keeps the newest reading of each unicorn, whatever order readings arrive in', () => {
    const view = new FleetView();
    view.applyReadings([reading('Pegasus', T0 + 2000, { latitude: 41 }), reading('Pegasus', T0 + 1000, { latitude: 40 })]);
    expect(view.unicorn('Pegasus')).toMatchObject({ latitude: 41, lastReadingTime: T0 + 2000, level: 'ok' });
    expect(view.readingsApplied).toBe(2);
  });

  it('takes levels from the health table and from alerts, never from the readings themselves', () => {
    const view = new FleetView();
    view.applyReadings([reading('Bucephalus', T0, { healthPoints: 20 })]);
    expect(view.unicorn('Bucephalus')!.level).toBe('ok');

    view.applyAlert(createAlert({ name: 'Bucephalus', kind: 'VitalLow', vital: 'HealthPoints', value: 90, threshold: 100, readingTime: T0, latitude: 40, longitude: -73 }));
    expect(view.unicorn('Bucephalus')!.level).toBe('low');
    view.applyAlert(createAlert({ name: 'Bucephalus', kind: 'UnicornSilent', vital: null, value: null, threshold: null, readingTime: T0, latitude: 40, longitude: -73 }));
    expect(view.unicorn('Bucephalus')!.level).toBe('silent');

    view.applyHealth([{ state: aHealthState('Bucephalus', { lastReadingTime: T0, levels: { MagicPoints: 'ok', HealthPoints: 'critical' } }), lastSeen: T0 + 5000 }]);
    expect(view.unicorn('Bucephalus')).toMatchObject({ level: 'critical', lastReadingTime: T0 + 5000 });
    expect(view.counts()).toEqual({ ok: 0, low: 0, critical: 1, silent: 0 });
  });

  it('takes position and vitals from the health table for a unicorn it has not seen on the stream', () => {
    const view = new FleetView();
    view.applyHealth([{ state: aHealthState('Epona', { latitude: 40.5, longitude: -73.5, healthPoints: 77, lastReadingTime: T0 }), lastSeen: T0 }]);
    expect(view.unicorn('Epona')).toMatchObject({ latitude: 40.5, longitude: -73.5, healthPoints: 77 });
  });

  it('frames carry new names once, then only the unicorns that changed, 8 numbers each', () => {
    const view = new FleetView();
    view.applyReadings([reading('Shadowfax', T0), reading('Rocinante', T0)]);
    const first = view.nextFrame(T0 + 500);
    expect(first).toMatchObject({ firstNewId: 0, newNames: ['Shadowfax', 'Rocinante'] });
    expect(first.changed).toHaveLength(2 * FRAME_FIELDS);
    expect(first.changed.slice(0, FRAME_FIELDS)).toEqual([0, 40.74917, -73.98518, 30.26, 150, 140, LEVEL_CODES.ok, T0]);

    view.applyReadings([reading('Rocinante', T0 + 1000), reading('Pegasus', T0 + 1000)]);
    view.minuteClosed('Rocinante');
    const second = view.nextFrame(T0 + 1500);
    expect(second).toMatchObject({ firstNewId: 2, newNames: ['Pegasus'], minutesClosed: ['Rocinante'] });
    expect(second.changed.filter((_, i) => i % FRAME_FIELDS === 0)).toEqual([1, 2]);

    expect(view.nextFrame(T0 + 2500)).toMatchObject({ firstNewId: 3, newNames: [], changed: [], minutesClosed: [] });
    expect(view.snapshot(T0 + 3000).newNames).toEqual(['Shadowfax', 'Rocinante', 'Pegasus']);
  });
});
