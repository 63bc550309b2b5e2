import type { Verdict } from './capacity-measures';

export type CapacityMode = 'unpacked' | 'packed';

export const STREAM_SERVICES = ['health', 'aggregation', 'archival'] as const;

/** One capacity run: one fleet size in one mode, measured end to end. Plain JSON (kept in docs/benchmarks.json). */
export interface CapacityRow {
  readonly mode: CapacityMode;
  /** Readings per Kinesis record (1 unpacked). */
  readonly pack: number;
  readonly unicorns: number;
  readonly durationSeconds: number;
  /** Readings the stream accepted (producer totals). */
  readonly sentReadings: number;
  /** Readings the stream still refused after the producer's retries (they count as lost). */
  readonly refusedReadings: number;
  readonly sentPerSecond: number;
  /** Readings the slowest stream service handled, per second from the producer's start until it caught up. */
  readonly processedPerSecond: number;
  /** Highest iterator age (lag) seen per service, ms. */
  readonly maxLagMs: Readonly<Record<string, number>>;
  /** From the producer's end until every service had handled every record. */
  readonly drainSeconds: number;
  readonly drained: boolean;
  /** Subscriber receipt − the alert's readingTime, ms. */
  readonly alertP50Ms: number | null;
  readonly alertP99Ms: number | null;
  /** Subscriber receipt − when the reading was sent: its tick (readingTime less the unicorn's phase), plus its wait in a pack. */
  readonly alertFromSendP99Ms: number | null;
  readonly expectedAlerts: number;
  readonly missingAlerts: readonly string[];
  readonly falseAlerts: number;
  /** Kinds and unicorns of the false alerts, for the report (first few). */
  readonly falseAlertSamples: readonly string[];
  /** Alerts about other unicorns whose archived reading bears them out: their random walk crossed a threshold. */
  readonly borneOutAlerts?: number;
  readonly silentAtEnd: number;
  readonly archivedReadings: number;
  readonly lostReadings: number;
  /** Items in UnicornSensorData, and the (unicorn, minute) pairs the archive's readings span. */
  readonly minutesStored: number;
  readonly minutesExpected: number;
  /** Unicorn-minutes followed by a later reading of the same unicorn: those must be summarised and emitted. */
  readonly closedMinutesExpected: number;
  readonly summariesEmitted: number;
  readonly lateMinutes: number;
  readonly missingMinutes: number;
  readonly worstSummaryDelayMs: number | null;
  readonly verdict: Verdict;
  /** The verdict with alert latency counted from the reading's send (differs from `verdict` only when packed). */
  readonly verdictFromSend: Verdict;
}

export const CAPACITY_HEADERS = [
  'mode', 'N', 'sent/s', 'processed/s', 'max lag s (hea/agg/arc)', 'drain s', 'alert p50/p99 s', 'p99 from send s',
  'false alerts', 'lost', 'minutes stored/expected', 'summaries late', 'goal 1',
] as const;

const seconds = (ms: number | null): string => (ms === null ? '–' : (ms / 1000).toFixed(ms < 10_000 ? 2 : 1));
const count = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

export function capacityCells(row: CapacityRow): string[] {
  const mode = row.mode === 'packed' ? `packed ×${row.pack}` : 'unpacked';
  const fromSend = row.verdictFromSend.pass ? ' (PASS from send)' : ` (from send: ${row.verdictFromSend.reasons.join('; ')})`;
  const verdict = row.verdict.pass ? 'PASS' : `FAIL: ${row.verdict.reasons.join('; ')}${row.mode === 'packed' ? fromSend : ''}`;
  return [
    mode,
    count(row.unicorns),
    count(row.sentPerSecond),
    count(row.processedPerSecond),
    STREAM_SERVICES.map((s) => seconds(row.maxLagMs[s] ?? null)).join('/'),
    row.drained ? row.drainSeconds.toFixed(0) : `>${row.drainSeconds.toFixed(0)}`,
    `${seconds(row.alertP50Ms)}/${seconds(row.alertP99Ms)}`,
    seconds(row.alertFromSendP99Ms),
    (row.falseAlerts === 0 ? '0' : `${row.falseAlerts} (${row.falseAlertSamples.join(', ')})`)
      + (row.borneOutAlerts ? ` (+${row.borneOutAlerts} borne out by the readings)` : ''),
    count(row.lostReadings),
    `${count(row.minutesStored)} / ${count(row.minutesExpected)}`,
    `${row.lateMinutes + row.missingMinutes} of ${count(row.closedMinutesExpected)}`,
    verdict,
  ];
}

/** The largest fleet that passed in a mode, judged by `verdict` (or by `verdictFromSend`). */
export function largestPassing(rows: readonly CapacityRow[], mode: CapacityMode, judge: 'verdict' | 'verdictFromSend' = 'verdict'): number | undefined {
  const passing = rows.filter((row) => row.mode === mode && row[judge].pass).map((row) => row.unicorns);
  return passing.length === 0 ? undefined : Math.max(...passing);
}

/** One line per mode that was run: the answer the section exists for. */
export function capacitySummary(rows: readonly CapacityRow[]): string[] {
  const lines: string[] = [];
  for (const mode of ['unpacked', 'packed'] as const) {
    const ofMode = rows.filter((row) => row.mode === mode);
    if (ofMode.length === 0) continue;
    const best = largestPassing(rows, mode);
    const tried = ofMode.map((row) => count(row.unicorns)).join(', ');
    let line = `${mode}: largest N passing goal 1: ${best === undefined ? 'none' : count(best)} (tried ${tried})`;
    if (mode === 'packed') {
      const fromSend = largestPassing(rows, mode, 'verdictFromSend');
      line += `; judging alert latency from the reading's send instead: ${fromSend === undefined ? 'none' : count(fromSend)}`;
    }
    lines.push(line);
  }
  return lines;
}
