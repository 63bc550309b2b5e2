import { describe, expect, it } from 'vitest';
import { FleetSimulation, formatStatusTime, parseStatusTime } from '@wildrydes/domain';
import { borneOutByReading, classifyAlerts, goalVerdict, packWaitMs, readingKey, readingPhaseMs, summaryLateness, type GoalInputs, type ReceivedAlert } from './capacity-measures';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const at = (seconds: number): string => formatStatusTime(T0 + seconds * 1000);

function anAlert(overrides: Partial<ReceivedAlert> = {}): ReceivedAlert {
  return { alertId: 'a1', name: 'Bucephalus', kind: 'VitalLow', readingTime: at(25), receivedAt: T0 + 25_600, ...overrides };
}

describe('classifyAlerts', () => {
  const expectation = { decliningUnicorn: 'Bucephalus', lastReadingMs: T0 + 59_000 };

  it("keeps the declining unicorn's VitalLow and VitalCritical as expected", () => {
    // Prepare
    const alerts = [anAlert(), anAlert({ alertId: 'a2', kind: 'VitalCritical', readingTime: at(50), receivedAt: T0 + 50_900 })];

    // Act
    const outcome = classifyAlerts(alerts, expectation, parseStatusTime);

    // Assess
    expect(outcome.expected.map((a) => a.kind)).toEqual(['VitalLow', 'VitalCritical']);
    expect(outcome.missing).toEqual([]);
    expect(outcome.falseAlerts).toEqual([]);
  });

  it.each([
    ['another unicorn low', { name: 'Shadowfax' }],
    ['the declining unicorn recovering', { kind: 'VitalRecovered' }],
    ['a unicorn silent in mid-run', { name: 'Rocinante', kind: 'UnicornSilent', readingTime: at(30) }],
  ])('counts %s as a false alert', (_, overrides) => {
    const outcome = classifyAlerts([anAlert({ alertId: 'x', ...overrides })], expectation, parseStatusTime);

    expect(outcome.falseAlerts).toHaveLength(1);
    expect(outcome.missing).toEqual(['VitalLow', 'VitalCritical']);
  });

  it("does not count another unicorn's vital alert as false when the archived reading bears it out, and does when it does not", () => {
    // Prepare: Shadowfax's random walk took its health to 99 at 4:10; Epona's archived reading says 120.
    const walked = anAlert({ alertId: 'w', name: 'Shadowfax', readingTime: at(250), vital: 'HealthPoints', value: 99, threshold: 100 });
    const unfounded = anAlert({ alertId: 'u', name: 'Epona', readingTime: at(251), vital: 'HealthPoints', value: 99, threshold: 100 });
    const readings = new Map([
      [readingKey('Shadowfax', at(250)), { MagicPoints: 151, HealthPoints: 99 }],
      [readingKey('Epona', at(251)), { MagicPoints: 150, HealthPoints: 120 }],
    ]);

    // Act
    const outcome = classifyAlerts([walked, unfounded], { ...expectation, readings }, parseStatusTime);

    // Assess
    expect(outcome.borneOut.map((a) => a.name)).toEqual(['Shadowfax']);
    expect(outcome.falseAlerts.map((a) => a.name)).toEqual(['Epona']);
  });

  it("takes a UnicornSilent about a unicorn's last reading for the fleet stopping, within a second of the last reading", () => {
    // Prepare: unicorns tick a fraction of a second apart, so a last reading may be up to a second before the run's last
    const alerts = [
      anAlert({ alertId: 's1', name: 'Shadowfax', kind: 'UnicornSilent', readingTime: at(59) }),
      anAlert({ alertId: 's2', name: 'Rocinante', kind: 'UnicornSilent', readingTime: at(58.2) }),
    ];

    // Act
    const outcome = classifyAlerts(alerts, expectation, parseStatusTime);

    // Assess
    expect(outcome.silentAtEnd).toBe(2);
    expect(outcome.falseAlerts).toEqual([]);
  });

  it('counts a repeated alert id once, at its first receipt', () => {
    const outcome = classifyAlerts([anAlert({ receivedAt: T0 + 27_000 }), anAlert({ receivedAt: T0 + 25_500 })], expectation, parseStatusTime);

    expect(outcome.expected).toEqual([anAlert({ receivedAt: T0 + 25_500 })]);
    expect(outcome.repeats).toBe(1);
  });
});

describe('borneOutByReading', () => {
  const reading = { MagicPoints: 42, HealthPoints: 101 };

  it.each([
    ['a low magic reading', { kind: 'VitalLow', vital: 'MagicPoints', value: 42, threshold: 100 }, true],
    ['a critical magic reading', { kind: 'VitalCritical', vital: 'MagicPoints', value: 42, threshold: 50 }, true],
    ['a recovery at or above its threshold', { kind: 'VitalRecovered', vital: 'HealthPoints', value: 101, threshold: 100 }, true],
    ['another value than the archive holds', { kind: 'VitalLow', vital: 'MagicPoints', value: 41, threshold: 100 }, false],
    ['a value not below the threshold', { kind: 'VitalLow', vital: 'HealthPoints', value: 101, threshold: 100 }, false],
    ['a silence alert', { kind: 'UnicornSilent', vital: null, value: null, threshold: 30 }, false],
  ] as const)('bears out %s: %s', (_, fields, expected) => {
    expect(borneOutByReading(anAlert({ name: 'Shadowfax', ...fields }), reading)).toBe(expected);
  });

  it('bears out nothing the archive does not hold', () => {
    expect(borneOutByReading(anAlert({ vital: 'MagicPoints', value: 42, threshold: 100 }), undefined)).toBe(false);
  });
});

describe('packWaitMs', () => {
  it.each([
    // index, pack, lastIndex, expected wait in s
    [0, 1, 59, 0],
    [30, 1, 59, 0],
    [0, 25, 59, 24],
    [24, 25, 59, 0],
    [25, 25, 59, 24],
    [49, 25, 59, 0],
    [50, 25, 59, 9], // the last, partial pack leaves with the unicorn's last reading
    [59, 25, 59, 0],
  ])('reading %i with pack %i (last reading %i) waits %i s', (index, pack, lastIndex, seconds) => {
    expect(packWaitMs(index, pack, lastIndex)).toBe(seconds * 1000);
  });

  it.each([
    // index, first pack, expected wait in s (pack 25, last reading 59)
    [0, 7, 6],
    [6, 7, 0],
    [7, 7, 24], // the first full pack: readings 7–31
    [31, 7, 0],
    [32, 7, 24],
    [57, 7, 2], // the last, partial pack (57–59) leaves with the unicorn's last reading
    [0, 1, 0],
    [1, 1, 24],
  ])('staggered: reading %i, first pack of %i, waits %i s', (index, firstPack, seconds) => {
    expect(packWaitMs(index, 25, 59, 1_000, firstPack)).toBe(seconds * 1000);
  });
});

describe('readingPhaseMs', () => {
  it("is how far after its tick the simulation time-stamps a unicorn's readings, the same every second", () => {
    // Prepare
    const sim = new FleetSimulation({ seed: 1, unicorns: 500, startTime: T0 });
    const times = [sim.tick(), sim.tick()].map((tick) => tick.find((r) => r.reading?.name === 'Bucephalus')?.reading?.time);

    // Act
    const phase = readingPhaseMs(1, 500, 'Bucephalus') as number;

    // Assess
    expect(phase).toBeGreaterThanOrEqual(0);
    expect(phase).toBeLessThan(1000);
    expect(times).toEqual([T0 + phase, T0 + 1000 + phase]);
  });

  it('is undefined for a unicorn not in the fleet', () => {
    expect(readingPhaseMs(1, 3, 'Nobody')).toBeUndefined();
  });
});

describe('summaryLateness', () => {
  const rule = { graceMs: 15_000, allowedLatenessMs: 60_000 };
  const minuteEnd = at(60);

  it.each([
    ['on time', 5_000, 0],
    ['exactly at grace + allowed lateness', 75_000, 0],
    ['a millisecond after', 75_001, 1],
  ])('a summary %s is late %i times', (_, delayMs, late) => {
    const outcome = summaryLateness([{ name: 'Shadowfax', statusTime: minuteEnd, arrivedAt: T0 + 60_000 + delayMs }], 1, rule, parseStatusTime);

    expect(outcome).toEqual({ emitted: 1, late, missing: 0, worstDelayMs: delayMs });
  });

  it('judges a minute emitted twice by its first arrival', () => {
    const summaries = [
      { name: 'Shadowfax', statusTime: minuteEnd, arrivedAt: T0 + 60_000 + 200_000 },
      { name: 'Shadowfax', statusTime: minuteEnd, arrivedAt: T0 + 60_000 + 3_000 },
    ];

    expect(summaryLateness(summaries, 1, rule, parseStatusTime)).toEqual({ emitted: 1, late: 0, missing: 0, worstDelayMs: 3_000 });
  });

  it('counts closed minutes that were never emitted as missing', () => {
    const outcome = summaryLateness([{ name: 'Shadowfax', statusTime: minuteEnd, arrivedAt: T0 + 61_000 }], 3, rule, parseStatusTime);

    expect(outcome.missing).toBe(2);
  });

  it('has no worst delay without summaries', () => {
    expect(summaryLateness([], 0, rule, parseStatusTime)).toEqual({ emitted: 0, late: 0, missing: 0, worstDelayMs: undefined });
  });
});

describe('goalVerdict', () => {
  const passing: GoalInputs = { lostReadings: 0, falseAlerts: 0, alertP99Ms: 1_900, missingAlerts: [], lateMinutes: 0, missingMinutes: 0, drained: true };

  it('passes when nothing is lost, nothing false, p99 ≤ 2 s and nothing late', () => {
    expect(goalVerdict(passing)).toEqual({ pass: true, reasons: [] });
  });

  it('passes at exactly 2 s', () => {
    expect(goalVerdict({ ...passing, alertP99Ms: 2_000 }).pass).toBe(true);
  });

  it.each([
    [{ lostReadings: 3 }, '3 readings lost'],
    [{ falseAlerts: 1 }, '1 false alert'],
    [{ alertP99Ms: 2_001 }, 'alert p99 2.001 s > 2 s'],
    [{ alertP99Ms: 23_456 }, 'alert p99 23.5 s > 2 s'],
    [{ alertP99Ms: undefined }, 'no alert received'],
    [{ missingAlerts: ['VitalCritical'] }, 'missing VitalCritical'],
    [{ lateMinutes: 2 }, '2 minutes late'],
    [{ missingMinutes: 4 }, '4 minutes never emitted'],
    [{ drained: false }, 'not drained by the deadline'],
  ] as const)('fails on %j: "%s"', (change, reason) => {
    expect(goalVerdict({ ...passing, ...change })).toEqual({ pass: false, reasons: [reason] });
  });

  it('gives every reason at once', () => {
    expect(goalVerdict({ ...passing, lostReadings: 1, falseAlerts: 2 }).reasons).toEqual(['1 reading lost', '2 false alerts']);
  });
});
