import { parseStatusTime, staggeredFirstPackSize } from '@wildrydes/domain';
import {
  SUMMARY_GRACE_MS, classifyAlerts, goalVerdict, packWaitMs, summaryLateness, type ArchivedVitals, type ArrivedSummary, type ReceivedAlert,
} from './capacity-measures';
import type { CapacityRow } from './capacity-report';
import { percentile } from './percentiles';
import type { LoadObservation } from './load-run';
import type { ArchiveCounts } from './run-observations';

/** Everything one capacity run observed, as raw figures. */
export interface CapacityObservations extends Omit<LoadObservation, 'lastStatus' | 'sendStartedAt'> {
  readonly unicorns: number;
  readonly pack: number;
  readonly durationSeconds: number;
  readonly decliningUnicorn: string;
  /** How far after its tick the declining unicorn's readings are time-stamped (`readingPhaseMs`). */
  readonly declinerPhaseMs: number;
  readonly allowedLatenessMs: number;
  readonly alerts: readonly ReceivedAlert[];
  readonly archive: ArchiveCounts;
  /** The archived vitals of the readings that alerts about other unicorns name (`readingKey`). */
  readonly alertReadings?: ReadonlyMap<string, ArchivedVitals>;
  readonly summaryItems: number;
  readonly summaries: readonly ArrivedSummary[];
}

/** Turns a run's observations into its row and verdicts (pure). */
export function buildCapacityRow(o: CapacityObservations): CapacityRow {
  const readingsPerRecord = o.producer.records > 0 ? o.producer.readings / o.producer.records : 1;
  const alerts = classifyAlerts(o.alerts, {
    decliningUnicorn: o.decliningUnicorn, lastReadingMs: o.archive.lastReadingMs ?? Infinity, ...(o.alertReadings === undefined ? {} : { readings: o.alertReadings }),
  }, parseStatusTime);
  const fromReading: number[] = [];
  const fromSend: number[] = [];
  for (const alert of alerts.expected) {
    const readingMs = parseStatusTime(alert.readingTime);
    const latency = alert.receivedAt - readingMs;
    fromReading.push(latency);
    const first = o.archive.declinerFirstReadingMs;
    const index = first === null ? 0 : Math.max(0, Math.round((readingMs - first) / 1000));
    // Sent at its tick (reading time − phase), or later with its pack.
    const firstPack = staggeredFirstPackSize(o.decliningUnicorn, o.pack);
    fromSend.push(latency + o.declinerPhaseMs - packWaitMs(index, o.pack, Math.max(0, o.archive.declinerReadings - 1), 1_000, firstPack));
  }
  const lateness = summaryLateness(o.summaries, o.archive.closedMinutes, { graceMs: SUMMARY_GRACE_MS, allowedLatenessMs: o.allowedLatenessMs }, parseStatusTime);
  const lostReadings = o.producer.readings + o.producer.failed - o.archive.distinctReadings;
  const p = (values: readonly number[], q: number): number | null => percentile(values, q) ?? null;
  const common = {
    lostReadings,
    falseAlerts: alerts.falseAlerts.length,
    missingAlerts: alerts.missing,
    lateMinutes: lateness.late,
    missingMinutes: lateness.missing,
    drained: o.drained,
  };
  return {
    mode: o.pack > 1 ? 'packed' : 'unpacked',
    pack: o.pack,
    unicorns: o.unicorns,
    durationSeconds: o.durationSeconds,
    sentReadings: o.producer.readings,
    refusedReadings: o.producer.failed,
    sentPerSecond: o.producer.readingsPerSecond,
    processedPerSecond: o.activeSeconds > 0 ? (o.processedRecords * readingsPerRecord) / o.activeSeconds : 0,
    maxLagMs: o.maxLagMs,
    drainSeconds: o.drainSeconds,
    drained: o.drained,
    alertP50Ms: p(fromReading, 50),
    alertP99Ms: p(fromReading, 99),
    alertFromSendP99Ms: p(fromSend, 99),
    expectedAlerts: alerts.expected.length,
    missingAlerts: alerts.missing,
    falseAlerts: alerts.falseAlerts.length,
    falseAlertSamples: [...new Set(alerts.falseAlerts.map((a) => `${a.kind} ${a.name}`))].slice(0, 3),
    borneOutAlerts: alerts.borneOut.length,
    silentAtEnd: alerts.silentAtEnd,
    archivedReadings: o.archive.distinctReadings,
    lostReadings,
    minutesStored: o.summaryItems,
    minutesExpected: o.archive.minutes,
    closedMinutesExpected: o.archive.closedMinutes,
    summariesEmitted: lateness.emitted,
    lateMinutes: lateness.late,
    missingMinutes: lateness.missing,
    worstSummaryDelayMs: lateness.worstDelayMs ?? null,
    verdict: goalVerdict({ ...common, alertP99Ms: p(fromReading, 99) ?? undefined }),
    verdictFromSend: goalVerdict({ ...common, alertP99Ms: p(fromSend, 99) ?? undefined }),
  };
}

