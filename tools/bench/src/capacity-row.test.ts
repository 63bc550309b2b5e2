import { describe, expect, it } from 'vitest';
import { formatStatusTime, staggeredFirstPackSize } from '@wildrydes/domain';
import { buildCapacityRow, type CapacityObservations } from './capacity-row';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const at = (seconds: number): string => formatStatusTime(T0 + seconds * 1000);

/** A clean 60 s run of 100 unicorns from 10:00:00: two minutes each, the first one closed. */
function observations(overrides: Partial<CapacityObservations> = {}): CapacityObservations {
  return {
    unicorns: 100,
    pack: 1,
    durationSeconds: 60,
    decliningUnicorn: 'Bucephalus',
    declinerPhaseMs: 0,
    allowedLatenessMs: 60_000,
    producer: { readings: 6_000, records: 6_000, seconds: 60, readingsPerSecond: 100, throttled: 0, failed: 0 },
    drained: true,
    drainSeconds: 2,
    activeSeconds: 62,
    processedRecords: 6_000,
    maxLagMs: { health: 1_000, aggregation: 2_000, archival: 500 },
    alerts: [
      { alertId: 'low', name: 'Bucephalus', kind: 'VitalLow', readingTime: at(25), receivedAt: T0 + 25_800 },
      { alertId: 'crit', name: 'Bucephalus', kind: 'VitalCritical', readingTime: at(50), receivedAt: T0 + 51_200 },
    ],
    archive: { rows: 6_000, distinctReadings: 6_000, unicorns: 100, minutes: 200, closedMinutes: 100, lastReadingMs: T0 + 59_000, declinerFirstReadingMs: T0, declinerReadings: 60 },
    summaryItems: 200,
    summaries: Array.from({ length: 100 }, (_, i) => ({ name: `U${i}`, statusTime: at(60), arrivedAt: T0 + 62_000 })),
    ...overrides,
  };
}

describe('buildCapacityRow', () => {
  it('turns a clean run into a passing row', () => {
    // Act
    const row = buildCapacityRow(observations());

    // Assess
    expect(row).toMatchObject({
      mode: 'unpacked', unicorns: 100, sentReadings: 6_000, lostReadings: 0, alertP50Ms: 800, alertP99Ms: 1_200, alertFromSendP99Ms: 1_200,
      processedPerSecond: 6_000 / 62, falseAlerts: 0, minutesStored: 200, minutesExpected: 200, closedMinutesExpected: 100,
      summariesEmitted: 100, lateMinutes: 0, missingMinutes: 0, worstSummaryDelayMs: 2_000, verdict: { pass: true, reasons: [] },
    });
  });

  it('counts refused readings and readings missing from the archive as lost', () => {
    const row = buildCapacityRow(observations({
      producer: { readings: 5_990, records: 5_990, seconds: 60, readingsPerSecond: 99.8, throttled: 40, failed: 10 },
      archive: { ...observations().archive, distinctReadings: 5_985 },
    }));

    expect(row.lostReadings).toBe(15);
    expect(row.verdict.reasons).toEqual(['15 readings lost']);
  });

  it('subtracts the time a reading waited in its pack for the latency from send', () => {
    // Prepare: Bucephalus' staggered first pack holds 21 readings, so its packs leave with readings 20, 45 and (the
    // partial one) 59; the alerts' readings are 21 and 46
    const packed = observations({
      pack: 25,
      producer: { readings: 6_000, records: 300, seconds: 60, readingsPerSecond: 100, throttled: 0, failed: 0 },
      processedRecords: 300,
      alerts: [
        { alertId: 'low', name: 'Bucephalus', kind: 'VitalLow', readingTime: at(21), receivedAt: T0 + 45_900 },
        { alertId: 'crit', name: 'Bucephalus', kind: 'VitalCritical', readingTime: at(46), receivedAt: T0 + 60_000 },
      ],
    });

    // Act
    const row = buildCapacityRow(packed);

    // Assess: 24.9 s and 14 s from the reading; 0.9 s and 1 s from the send (waits of 24 s and 13 s)
    expect(staggeredFirstPackSize('Bucephalus', 25)).toBe(21);
    expect(row.mode).toBe('packed');
    expect(row.alertP99Ms).toBe(24_900);
    expect(row.alertFromSendP99Ms).toBe(1_000);
    expect(row.processedPerSecond).toBeCloseTo(6_000 / 62);
    expect(row.verdict).toEqual({ pass: false, reasons: ['alert p99 24.9 s > 2 s'] });
    expect(row.verdictFromSend).toEqual({ pass: true, reasons: [] });
  });

  it("counts the latency from send from the reading's tick: its time less the unicorn's phase", () => {
    // Prepare: readings time-stamped 400 ms after the tick that sends them; alerts received 800 ms and 1,200 ms after that
    const row = buildCapacityRow(observations({ declinerPhaseMs: 400 }));

    // Assess
    expect(row.alertP99Ms).toBe(1_200);
    expect(row.alertFromSendP99Ms).toBe(1_600);
  });

  it('fails without alerts, and names the false ones', () => {
    const row = buildCapacityRow(observations({
      alerts: [{ alertId: 'x', name: 'Rocinante', kind: 'UnicornSilent', readingTime: at(20), receivedAt: T0 + 52_000 }],
    }));

    expect(row.alertP99Ms).toBeNull();
    expect(row.falseAlertSamples).toEqual(['UnicornSilent Rocinante']);
    expect(row.verdict.reasons).toEqual(['1 false alert', 'no alert received', 'missing VitalLow, VitalCritical']);
  });

  it('counts late and missing summaries against the goal', () => {
    const row = buildCapacityRow(observations({
      summaries: [
        ...Array.from({ length: 98 }, (_, i) => ({ name: `U${i}`, statusTime: at(60), arrivedAt: T0 + 62_000 })),
        { name: 'U98', statusTime: at(60), arrivedAt: T0 + 60_000 + 90_000 },
      ],
    }));

    expect(row).toMatchObject({ lateMinutes: 1, missingMinutes: 1, worstSummaryDelayMs: 90_000 });
    expect(row.verdict.reasons).toEqual(['1 minute late', '1 minute never emitted']);
  });
});
