import { FleetSimulation } from '@wildrydes/domain';

/**
 * The pure half of the capacity section: what a run's raw observations (alerts as received, summaries as they
 * arrived, counts) mean against goal 1. No clock, no I/O: times are arguments.
 */

/** Goal 1: an alert reaches a subscriber within 2 s of the reading that caused it, at p99. */
export const GOAL_ALERT_P99_MS = 2_000;
/** A minute's summary is due on `wildrydes-summary` this long after the minute ends (plus the allowed lateness). */
export const SUMMARY_GRACE_MS = 15_000;
/** The alerts the `decline` scenario must raise, and the only ones expected while every unicorn sends. */
export const EXPECTED_ALERT_KINDS = ['VitalLow', 'VitalCritical'] as const;

/** One `unicorn-alert` as the subscriber received it. */
export interface ReceivedAlert {
  readonly alertId: string;
  readonly name: string;
  readonly kind: string;
  /** `YYYY-MM-DD HH:MM:SS.mmm` UTC, as in the event. */
  readonly readingTime: string;
  /** Epoch ms when the subscriber read it. */
  readonly receivedAt: number;
  /** For vital alerts: which vital, its value at the reading, and the threshold crossed (null for silence alerts). */
  readonly vital?: string | null;
  readonly value?: number | null;
  readonly threshold?: number | null;
}

/** A unicorn's vitals at one reading, as the raw archive holds them. */
export interface ArchivedVitals {
  readonly MagicPoints: number;
  readonly HealthPoints: number;
}

/** The key of a reading among archived vitals: the unicorn and its reading time. */
export const readingKey = (name: string, readingTime: string): string => `${name}\u0000${readingTime}`;

/**
 * Whether the raw archive bears a vital alert out: it holds the reading the alert names, with the alert's value for
 * its vital, below the threshold for VitalLow and VitalCritical, at or above it for VitalRecovered. Unicorns other
 * than the declining one walk their points at random (the workshop's walk), and over a 5-minute run thousands of
 * them cross 100 now and then: such an alert is right, not false.
 */
export function borneOutByReading(alert: ReceivedAlert, reading: ArchivedVitals | undefined): boolean {
  if (reading === undefined || (alert.vital !== 'MagicPoints' && alert.vital !== 'HealthPoints')) return false;
  if (typeof alert.value !== 'number' || typeof alert.threshold !== 'number' || reading[alert.vital] !== alert.value) return false;
  if (alert.kind === 'VitalLow' || alert.kind === 'VitalCritical') return alert.value < alert.threshold;
  return alert.kind === 'VitalRecovered' && alert.value >= alert.threshold;
}

export interface AlertOutcome {
  /** The declining unicorn's VitalLow/VitalCritical alerts, first receipt of each id. */
  readonly expected: readonly ReceivedAlert[];
  /** Expected kinds that never came. */
  readonly missing: readonly string[];
  /** Every other alert raised while the fleet was sending (first receipt of each id) that the archive does not bear out. */
  readonly falseAlerts: readonly ReceivedAlert[];
  /** Vital alerts about other unicorns that the archived reading bears out (`borneOutByReading`). */
  readonly borneOut: readonly ReceivedAlert[];
  /** UnicornSilent alerts about a unicorn's very last reading: the fleet stopping, which is right. */
  readonly silentAtEnd: number;
  /** Receipts of an id already received (at-least-once delivery; not false alerts). */
  readonly repeats: number;
}

/**
 * Sorts the alerts of a run. `lastReadingMs` is the time of the run's last reading: a UnicornSilent alert whose
 * reading time is within a second of it (unicorns tick a fraction of a second apart) reports the fleet stopping.
 */
export function classifyAlerts(
  alerts: readonly ReceivedAlert[],
  expectation: { readonly decliningUnicorn: string; readonly lastReadingMs: number; readonly readings?: ReadonlyMap<string, ArchivedVitals> },
  parseTime: (text: string) => number,
): AlertOutcome {
  const seen = new Set<string>();
  const expected: ReceivedAlert[] = [];
  const falseAlerts: ReceivedAlert[] = [];
  const borneOut: ReceivedAlert[] = [];
  let silentAtEnd = 0;
  let repeats = 0;
  for (const alert of [...alerts].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (seen.has(alert.alertId)) {
      repeats++;
      continue;
    }
    seen.add(alert.alertId);
    if (alert.name === expectation.decliningUnicorn && (EXPECTED_ALERT_KINDS as readonly string[]).includes(alert.kind)) {
      expected.push(alert);
    } else if (alert.kind === 'UnicornSilent' && parseTime(alert.readingTime) >= expectation.lastReadingMs - 1_000) {
      silentAtEnd++;
    } else if (borneOutByReading(alert, expectation.readings?.get(readingKey(alert.name, alert.readingTime)))) {
      borneOut.push(alert);
    } else {
      falseAlerts.push(alert);
    }
  }
  const missing = EXPECTED_ALERT_KINDS.filter((kind) => !expected.some((alert) => alert.kind === kind));
  return { expected, missing, falseAlerts, borneOut, silentAtEnd, repeats };
}

/**
 * How long a reading waited in the producer's pack before it was sent, at one reading a second: the pack of K
 * readings leaves with its K-th reading, or with the unicorn's last reading at the end of the run. The unicorn's
 * first pack holds `firstPack` readings (the producer staggers a fleet's packs: `staggeredFirstPackSize`; K when
 * aligned). `index` is the reading's position among its unicorn's readings (0 first), `lastIndex` that of the last.
 */
export function packWaitMs(index: number, pack: number, lastIndex: number, tickMs = 1_000, firstPack = pack): number {
  if (pack <= 1) return 0;
  const packEnd = index < firstPack ? firstPack - 1 : firstPack + Math.floor((index - firstPack) / pack) * pack + pack - 1;
  const leavesWith = Math.min(packEnd, Math.max(index, lastIndex));
  return (leavesWith - index) * tickMs;
}

/**
 * How far after its tick a unicorn's readings are time-stamped. The simulation gives each unicorn a fixed phase
 * (0–999 ms) in its second, while the producer sends every reading of a tick at the tick: a reading's
 * `readingTime` is up to a second later than its send. Deterministic from the seed and the fleet size.
 */
export function readingPhaseMs(seed: number, unicorns: number, name: string): number | undefined {
  const first = new FleetSimulation({ seed, unicorns, startTime: 0 }).tick().find((record) => record.reading?.name === name);
  return first?.reading?.time;
}

/** One minute summary as it arrived on `wildrydes-summary`. */
export interface ArrivedSummary {
  readonly name: string;
  /** End of the minute, `YYYY-MM-DD HH:MM:SS.mmm` UTC. */
  readonly statusTime: string;
  /** Epoch ms when the stream took the record (its ApproximateArrivalTimestamp). */
  readonly arrivedAt: number;
}

export interface SummaryLateness {
  /** Distinct (unicorn, minute) summaries emitted. */
  readonly emitted: number;
  /** Minutes whose first summary came after the minute's end + grace + allowed lateness. */
  readonly late: number;
  /** Closed minutes with no summary at all (counted against the goal like late ones). */
  readonly missing: number;
  /** The longest delay after a minute's end, ms. */
  readonly worstDelayMs: number | undefined;
}

export function summaryLateness(
  summaries: readonly ArrivedSummary[],
  closedMinutesExpected: number,
  rule: { readonly graceMs: number; readonly allowedLatenessMs: number },
  parseTime: (text: string) => number,
): SummaryLateness {
  const firstArrival = new Map<string, { end: number; arrivedAt: number }>();
  for (const summary of summaries) {
    const key = `${summary.name}\u0000${summary.statusTime}`;
    const known = firstArrival.get(key);
    if (known === undefined || summary.arrivedAt < known.arrivedAt) firstArrival.set(key, { end: parseTime(summary.statusTime), arrivedAt: summary.arrivedAt });
  }
  let late = 0;
  let worstDelayMs: number | undefined;
  for (const { end, arrivedAt } of firstArrival.values()) {
    const delay = arrivedAt - end;
    if (delay > rule.graceMs + rule.allowedLatenessMs) late++;
    worstDelayMs = worstDelayMs === undefined ? delay : Math.max(worstDelayMs, delay);
  }
  return { emitted: firstArrival.size, late, missing: Math.max(0, closedMinutesExpected - firstArrival.size), worstDelayMs };
}

/** What goal 1 looks at in one row. */
export interface GoalInputs {
  readonly lostReadings: number;
  readonly falseAlerts: number;
  readonly alertP99Ms: number | undefined;
  readonly missingAlerts: readonly string[];
  readonly lateMinutes: number;
  readonly missingMinutes: number;
  /** Every service caught up before the deadline (otherwise the counts are not final). */
  readonly drained: boolean;
}

export interface Verdict {
  readonly pass: boolean;
  /** Why it fails, shortest first; empty when it passes. */
  readonly reasons: readonly string[];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Goal 1: nothing lost, no false alert, alert p99 ≤ 2 s, no minute late. */
export function goalVerdict(inputs: GoalInputs): Verdict {
  const reasons: string[] = [];
  if (!inputs.drained) reasons.push('not drained by the deadline');
  if (inputs.lostReadings !== 0) reasons.push(`${plural(inputs.lostReadings, 'reading', 'readings')} lost`);
  if (inputs.falseAlerts !== 0) reasons.push(plural(inputs.falseAlerts, 'false alert', 'false alerts'));
  if (inputs.alertP99Ms === undefined) reasons.push('no alert received');
  else if (inputs.alertP99Ms > GOAL_ALERT_P99_MS) reasons.push(`alert p99 ${(inputs.alertP99Ms / 1000).toFixed(inputs.alertP99Ms < 10_000 ? 3 : 1)} s > ${GOAL_ALERT_P99_MS / 1000} s`);
  if (inputs.missingAlerts.length > 0) reasons.push(`missing ${inputs.missingAlerts.join(', ')}`);
  if (inputs.lateMinutes !== 0) reasons.push(`${plural(inputs.lateMinutes, 'minute', 'minutes')} late`);
  if (inputs.missingMinutes !== 0) reasons.push(`${plural(inputs.missingMinutes, 'minute', 'minutes')} never emitted`);
  return { pass: reasons.length === 0, reasons };
}
