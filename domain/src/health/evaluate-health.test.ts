import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Reading } from '../reading/reading';
import { DEFAULT_HEALTH_POLICY, InvalidHealthPolicyError, healthPolicy } from './health-policy';
import { applyReadings, detectSilence, nextLevel, type UnicornHealthState, type VitalLevel } from './evaluate-health';

const policy = DEFAULT_HEALTH_POLICY;
const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const reading = (second: number, health: number, magic = 150, name = 'Shadowfax'): Reading => ({
  name, time: T0 + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: magic, healthPoints: health,
});

describe('nextLevel has hysteresis', () => {
  it.each<[VitalLevel, number, VitalLevel]>([
    ['ok', 150, 'ok'], ['ok', 100, 'ok'], ['ok', 99, 'warning'], ['ok', 50, 'warning'], ['ok', 49, 'critical'],
    ['warning', 99, 'warning'], ['warning', 105, 'warning'], ['warning', 109, 'warning'], ['warning', 110, 'ok'], ['warning', 49, 'critical'],
    ['critical', 49, 'critical'], ['critical', 55, 'critical'], ['critical', 59, 'critical'], ['critical', 60, 'warning'],
    ['critical', 109, 'warning'], ['critical', 110, 'ok'],
  ])('%s at %d becomes %s', (current, value, expected) => {
    expect(nextLevel(current, value, policy)).toBe(expected);
  });
});

describe('applyReadings', () => {
  it('raises one alert per transition, never one per reading', () => {
    const values = [150, 120, 99, 98, 101, 99, 105, 49, 48, 55, 60, 70, 109, 110, 111, 120];
    const { state, alerts } = applyReadings(undefined, values.map((h, i) => reading(i, h)), policy);
    expect(alerts.map((a) => [a.kind, a.severity, a.value, a.threshold])).toEqual([
      ['VitalLow', 'warning', 99, 100],
      ['VitalCritical', 'critical', 49, 50],
      ['VitalLow', 'warning', 60, 100],
      ['VitalRecovered', 'info', 110, 100],
    ]);
    expect(state?.levels.HealthPoints).toBe('ok');
    expect(alerts.every((a) => a.vital === 'HealthPoints' && a.name === 'Shadowfax')).toBe(true);
  });

  it('judges each vital on its own, with distinct alert ids at the same reading', () => {
    const { alerts } = applyReadings(undefined, [reading(0, 90, 40)], policy);
    expect(alerts.map((a) => [a.kind, a.vital])).toEqual([['VitalCritical', 'MagicPoints'], ['VitalLow', 'HealthPoints']]);
    expect(new Set(alerts.map((a) => a.alertId)).size).toBe(2);
  });

  it('ignores readings at or before the latest one, so duplicates and late readings cannot flap', () => {
    const first = applyReadings(undefined, [reading(10, 90)], policy);
    const replay = applyReadings(first.state, [reading(10, 90), reading(5, 150), reading(9, 40)], policy);
    expect(replay).toEqual({ state: first.state, alerts: [], levelsChanged: false, advanced: false });
  });

  it('orders a batch by reading time before judging it', () => {
    const inOrder = applyReadings(undefined, [reading(1, 99), reading(2, 40), reading(3, 120)], policy);
    const shuffled = applyReadings(undefined, [reading(3, 120), reading(1, 99), reading(2, 40)], policy);
    expect(shuffled).toEqual(inOrder);
  });

  it('reports a last-seen refresh apart from a level change', () => {
    const first = applyReadings(undefined, [reading(0, 150)], policy);
    expect(first.levelsChanged).toBe(true);
    const refresh = applyReadings(first.state, [reading(1, 149)], policy);
    expect([refresh.levelsChanged, refresh.advanced, refresh.alerts]).toEqual([false, true, []]);
  });

  it('ignores readings of another unicorn', () => {
    const first = applyReadings(undefined, [reading(0, 150)], policy);
    expect(applyReadings(first.state, [reading(5, 10, 150, 'Rocinante')], policy).advanced).toBe(false);
  });

  it('gives the same state and alert ids whatever the batching and duplication of a stream (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (values, size) => {
      const readings = values.map((h, i) => reading(i, h));
      const once = applyReadings(undefined, readings, policy);
      let state: UnicornHealthState | undefined;
      const ids: string[] = [];
      for (let i = 0; i < readings.length; i += size) {
        const batch = readings.slice(i, i + size);
        for (const delivery of [batch, batch]) {
          const update = applyReadings(state, delivery, policy);
          state = update.state;
          ids.push(...update.alerts.map((a) => a.alertId));
        }
      }
      expect(state).toEqual(once.state);
      expect(ids).toEqual(once.alerts.map((a) => a.alertId));
    }));
  });
});

describe('silence', () => {
  const seen = applyReadings(undefined, [reading(0, 150)], policy).state!;

  it('goes silent only after the policy\'s time, once, and comes back on the next reading', () => {
    expect(detectSilence(seen, T0 + 30_000, policy).alerts).toEqual([]);
    const silent = detectSilence(seen, T0 + 30_001, policy);
    expect(silent.alerts.map((a) => [a.kind, a.severity, a.readingTime])).toEqual([['UnicornSilent', 'warning', '2026-11-22 10:00:00.000']]);
    expect(silent.state?.silent).toBe(true);
    expect(detectSilence(silent.state!, T0 + 90_000, policy).alerts).toEqual([]);
    const back = applyReadings(silent.state, [reading(95, 150)], policy);
    expect(back.alerts.map((a) => [a.kind, a.readingTime])).toEqual([['UnicornBack', '2026-11-22 10:01:35.000']]);
    expect([back.state?.silent, back.levelsChanged]).toEqual([false, true]);
  });

  it('gives a silence alert the same id however often the scan runs', () => {
    expect(detectSilence(seen, T0 + 40_000, policy).alerts[0]?.alertId).toBe(detectSilence(seen, T0 + 90_000, policy).alerts[0]?.alertId);
  });
});

describe('healthPolicy', () => {
  it('takes overrides', () => {
    expect(healthPolicy({ warnBelow: 120 })).toEqual({ ...DEFAULT_HEALTH_POLICY, warnBelow: 120 });
    expect(nextLevel('ok', 110, healthPolicy({ warnBelow: 120 }))).toBe('warning');
  });
  it.each([
    [{ criticalBelow: 120 }, /criticalBelow/],
    [{ recoveryMargin: -1 }, /recoveryMargin/],
    [{ silenceAfterMs: 0 }, /silenceAfterMs/],
    [{ warnBelow: Number.NaN }, /warnBelow/],
  ])('refuses %j', (overrides, message) => {
    expect(() => healthPolicy(overrides)).toThrow(InvalidHealthPolicyError);
    expect(() => healthPolicy(overrides)).toThrow(message);
  });
});
