import type { CapacityRow } from './capacity-report';

/** A passing unpacked row at N = 1,000; override what a test is about. */
export function aCapacityRow(overrides: Partial<CapacityRow> = {}): CapacityRow {
  return {
    mode: 'unpacked',
    pack: 1,
    unicorns: 1_000,
    durationSeconds: 60,
    sentReadings: 60_000,
    refusedReadings: 0,
    sentPerSecond: 1_000,
    processedPerSecond: 950,
    maxLagMs: { health: 1_200, aggregation: 2_500, archival: 900 },
    drainSeconds: 3,
    drained: true,
    alertP50Ms: 600,
    alertP99Ms: 1_400,
    alertFromSendP99Ms: 1_400,
    expectedAlerts: 2,
    missingAlerts: [],
    falseAlerts: 0,
    falseAlertSamples: [],
    silentAtEnd: 0,
    archivedReadings: 60_000,
    lostReadings: 0,
    minutesStored: 2_000,
    minutesExpected: 2_000,
    closedMinutesExpected: 1_000,
    summariesEmitted: 1_000,
    lateMinutes: 0,
    missingMinutes: 0,
    worstSummaryDelayMs: 4_000,
    verdict: { pass: true, reasons: [] },
    verdictFromSend: { pass: true, reasons: [] },
    ...overrides,
  };
}

/** A packed row that fails on alert latency from the reading but passes from the send. */
export function aPackedRow(unicorns: number, overrides: Partial<CapacityRow> = {}): CapacityRow {
  return aCapacityRow({
    mode: 'packed',
    pack: 25,
    unicorns,
    alertP50Ms: 12_000,
    alertP99Ms: 23_500,
    alertFromSendP99Ms: 1_500,
    maxLagMs: { health: 3_000, aggregation: 4_000, archival: 2_000 },
    verdict: { pass: false, reasons: ['alert p99 23.5 s > 2 s'] },
    verdictFromSend: { pass: true, reasons: [] },
    ...overrides,
  });
}
