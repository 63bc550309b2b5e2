import { describe, expect, it } from 'vitest';
import { decodeText } from '../reading/decode-readings';
import { applyReadings, detectSilence, type UnicornHealthState } from '../health/evaluate-health';
import { DEFAULT_HEALTH_POLICY } from '../health/health-policy';
import type { UnicornAlert } from '../alert/unicorn-alert';
import { FleetSimulation, InvalidFleetOptionsError, START_LATITUDE, START_LONGITUDE, unicornName, type FleetOptions, type SimulatedRecord } from './fleet-simulation';
import { SeededRandom } from './seeded-random';

const START = Date.UTC(2026, 10, 22, 10, 0, 0);
const run = (options: Partial<FleetOptions>, seconds: number): SimulatedRecord[][] => {
  const sim = new FleetSimulation({ seed: 7, unicorns: 3, startTime: START, ...options });
  return Array.from({ length: seconds }, () => sim.tick());
};

describe('fleet simulation reproduces the workshop producer', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    expect(run({}, 30)).toEqual(run({}, 30));
    expect(run({ seed: 8 }, 30)).not.toEqual(run({}, 30));
  });

  it('names the workshop unicorns first, then more', () => {
    expect([0, 1, 2, 3].map(unicornName)).toEqual(['Shadowfax', 'Bucephalus', 'Rocinante', 'Pegasus']);
    expect(unicornName(999)).toBe('Unicorn-001000');
    expect(new Set(Array.from({ length: 5000 }, (_, i) => unicornName(i))).size).toBe(5000);
  });

  it('sends one v2 reading a second per unicorn: alphabetical keys, trailing newline, distance in [29, 31)', () => {
    const ticks = run({ unicorns: 3 }, 120);
    expect(ticks.every((t) => t.length === 3)).toBe(true);
    const first = ticks[0]![0]!;
    expect(first.data.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(first.data))).toEqual(['Distance', 'HealthPoints', 'Latitude', 'Longitude', 'MagicPoints', 'Name', 'StatusTime']);
    const readings = ticks.flat().map((r) => r.reading!);
    expect(readings.every((r) => r.distance >= 29 && r.distance < 31)).toBe(true);
    const shadowfax = readings.filter((r) => r.name === 'Shadowfax');
    expect(shadowfax.map((r, i) => r.time - i * 1000).every((t) => t === shadowfax[0]!.time)).toBe(true);
    expect(shadowfax[0]!.time - START).toBeLessThan(1000);
  });

  it('v1 sends integer distances in a per-unicorn band of 20 starting in [100, 199], in Go struct key order', () => {
    const ticks = run({ format: 'v1', unicorns: 20 }, 60);
    const first = ticks[0]![0]!;
    expect(first.data.endsWith('}')).toBe(true);
    expect(Object.keys(JSON.parse(first.data))).toEqual(['Name', 'StatusTime', 'Latitude', 'Longitude', 'Distance', 'MagicPoints', 'HealthPoints']);
    for (let u = 0; u < 20; u++) {
      const ds = ticks.map((t) => t[u]!.reading!.distance);
      expect(ds.every(Number.isInteger)).toBe(true);
      expect(Math.max(...ds) - Math.min(...ds)).toBeLessThanOrEqual(19);
      expect(Math.min(...ds)).toBeGreaterThanOrEqual(100);
      expect(Math.max(...ds)).toBeLessThanOrEqual(218);
    }
  });

  it('flies in a straight line from the Empire State Building, converting metres with 110540/111320', () => {
    const readings = run({ unicorns: 1 }, 100).map((t) => t[0]!.reading!);
    const first = readings[0]!;
    const dLat = (first.latitude - START_LATITUDE) * 110_540;
    const dLon = (first.longitude - START_LONGITUDE) * 111_320 * Math.cos((START_LATITUDE * Math.PI) / 180);
    expect(Math.hypot(dLat, dLon)).toBeCloseTo(first.distance, 6);
    const heading = (a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) =>
      Math.atan2((b.latitude - a.latitude) * 110_540, (b.longitude - a.longitude) * 111_320 * Math.cos((a.latitude * Math.PI) / 180));
    const h0 = heading(readings[0]!, readings[1]!);
    for (let i = 1; i < 99; i++) expect(heading(readings[i]!, readings[i + 1]!)).toBeCloseTo(h0, 6);
  });

  it('walks magic and health from 150 with steps 0, +1, -1 at 1/2, 1/4, 1/4', () => {
    const readings = run({ unicorns: 1 }, 20_000).map((t) => t[0]!.reading!);
    const steps = readings.map((r, i) => r.magicPoints - (i === 0 ? 150 : readings[i - 1]!.magicPoints));
    expect(new Set(steps)).toEqual(new Set([-1, 0, 1]));
    const share = (v: number) => steps.filter((s) => s === v).length / steps.length;
    expect(share(0)).toBeCloseTo(0.5, 1);
    expect(share(1)).toBeCloseTo(0.25, 1);
    expect(share(-1)).toBeCloseTo(0.25, 1);
  });

  it('refuses impossible options', () => {
    expect(() => new FleetSimulation({ seed: 1, unicorns: -1, startTime: START })).toThrow(InvalidFleetOptionsError);
    expect(() => new FleetSimulation({ seed: 1, unicorns: 1, startTime: START, scenarios: { poisonEvery: 0 } })).toThrow(/poisonEvery/);
  });
});

describe('scenarios', () => {
  const alertsOf = (ticks: SimulatedRecord[][], checkSilenceEverySecond = false): UnicornAlert[] => {
    const states = new Map<string, UnicornHealthState>();
    const alerts: UnicornAlert[] = [];
    ticks.forEach((records, second) => {
      const { readings } = decodeText(records.map((r) => r.data).join('\n'), { now: START + 600_000 });
      for (const r of readings) {
        const update = applyReadings(states.get(r.name), [r], DEFAULT_HEALTH_POLICY);
        if (update.state) states.set(r.name, update.state);
        alerts.push(...update.alerts);
      }
      if (checkSilenceEverySecond) {
        for (const [name, state] of states) {
          const update = detectSilence(state, START + (second + 1) * 1000, DEFAULT_HEALTH_POLICY);
          states.set(name, update.state!);
          alerts.push(...update.alerts);
        }
      }
    });
    return alerts;
  };

  it('a declining unicorn raises low and critical health alerts within two minutes', () => {
    const alerts = alertsOf(run({ scenarios: { decliningUnicorn: 'Bucephalus' } }, 120));
    const bucephalus = alerts.filter((a) => a.name === 'Bucephalus').map((a) => a.kind);
    expect(bucephalus).toEqual(['VitalLow', 'VitalCritical']);
  });

  it('a silent unicorn goes silent and comes back', () => {
    const ticks = run({ scenarios: { silentUnicorn: 'Rocinante', silentFromSecond: 10, silentForSeconds: 40 } }, 80);
    expect(ticks[10]!.map((r) => r.partitionKey)).toEqual(['Shadowfax', 'Bucephalus']);
    const rocinante = alertsOf(ticks, true).filter((a) => a.name === 'Rocinante').map((a) => a.kind);
    expect(rocinante).toEqual(['UnicornSilent', 'UnicornBack']);
  });

  it('every k-th record is a poison record the decoder rejects, and the rest decode to their readings', () => {
    const records = run({ scenarios: { poisonEvery: 5 } }, 40).flat();
    const poison = records.filter((r) => r.kind === 'poison');
    expect(poison).toHaveLength(24);
    for (const record of records) {
      const { readings, rejections } = decodeText(record.data, { now: START + 600_000 });
      if (record.kind === 'poison') expect(rejections).toHaveLength(1);
      else expect(readings).toEqual([record.reading]);
    }
    expect(new Set(poison.map((p) => decodeText(p.data, { now: START + 600_000 }).rejections[0]!.code)).size).toBeGreaterThanOrEqual(6);
  });

  it('duplicates and late readings carry their original identity', () => {
    const sim = new FleetSimulation({ seed: 3, unicorns: 2, startTime: START, scenarios: { duplicateEvery: 4, lateEvery: 7, lateBySeconds: 30 } });
    const ticks = Array.from({ length: 60 }, () => sim.tick());
    const records = [...ticks.flat(), ...sim.flushLate()];
    const duplicates = records.filter((r) => r.kind === 'duplicate');
    const late = records.filter((r) => r.kind === 'late');
    expect(duplicates.length).toBeGreaterThan(10);
    expect(late.length).toBeGreaterThan(10);
    const firstLate = ticks.findIndex((t) => t.some((r) => r.kind === 'late'));
    expect(firstLate).toBeGreaterThanOrEqual(30);
    const originals = new Set(records.filter((r) => r.kind === 'reading').map((r) => r.data));
    expect(duplicates.every((d) => originals.has(d.data))).toBe(true);
    const identities = new Set(records.filter((r) => r.kind !== 'duplicate').map((r) => `${r.reading!.name}|${r.reading!.time}`));
    expect(identities.size).toBe(120);
    expect(sim.elapsedSeconds).toBe(60);
  });
});

describe('SeededRandom', () => {
  it('is uniform enough and reproducible', () => {
    const a = new SeededRandom(42), b = new SeededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(new Set(Array.from({ length: 1000 }, () => a.int(10)))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });
});
