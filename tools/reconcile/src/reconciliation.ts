/**
 * The reconciliation arithmetic: what came in against what came out, for one time range. Pure: the counts are
 * gathered elsewhere (count-sources.ts, through ports) and handed in.
 */

/** [from, to) in epoch ms; readings and minutes by their own time, stream records and rejects by arrival. */
export interface ReconciliationRange {
  readonly from: number;
  readonly to: number;
}

export interface ReconciliationCounts {
  readonly range: ReconciliationRange;
  /** The telemetry stream (`wildrydes`), decoded as the stream services decode it. */
  readonly received: {
    readonly records: number;
    /** Readings in range, a reading put twice counted twice. */
    readonly readings: number;
    readonly distinctReadings: number;
    /** Records that arrived in range with at least one refused line. */
    readonly rejectedRecords: number;
    readonly rejectedLines: number;
    /**
     * Distinct readings in closed minutes: every minute but each unicorn's newest, which the aggregation may still
     * hold open in its tumbling-window state (up to 15 minutes deployed) before it reaches the table.
     */
    readonly distinctInClosedMinutes: number;
    readonly openMinutes: number;
    readonly distinctInOpenMinutes: number;
  };
  /** The raw archive (`raw/`, table `wildrydes`). */
  readonly archived: { readonly rows: number; readonly distinctReadings: number };
  /** The quarantine (`rejected/`), objects whose record was received in range. */
  readonly quarantined: {
    /** Records kept, by where they came from: `stream`, `http`, `upload`, `alert`. */
    readonly recordsBySource: Readonly<Record<string, number>>;
    /** Refused lines by reason code, every source. */
    readonly linesByReason: Readonly<Record<string, number>>;
    /** Refused lines of stream records only. */
    readonly streamLines: number;
  };
  /** `UnicornSensorData`. */
  readonly summarised: {
    readonly minutes: number;
    readonly readings: number;
    /** Readings counted in the table's closed minutes (see received.distinctInClosedMinutes). */
    readonly closedMinuteReadings: number;
    readonly importedMinutes: number;
  };
  /** `wildrydes-summary`, compared minute by minute with the table. */
  readonly emitted: {
    readonly minutes: number;
    /** Emitted minutes the table does not hold. */
    readonly notInTable: number;
    /** Emitted minutes whose last emission's reading count differs from the table's. */
    readonly stale: number;
    /** Minutes of the table not emitted that are not their unicorn's latest (which waits for a later reading). */
    readonly pendingNotLatest: number;
  };
  readonly alerts: {
    readonly archivedObjects: number;
    readonly archivedIds: number;
    /** Distinct ids published, when known (a subscriber's record), with those not archived and vice versa. */
    readonly published: { readonly ids: number; readonly notArchived: number; readonly notPublished: number } | undefined;
  };
}

export interface ReconciliationLine {
  readonly label: string;
  readonly value: number | string;
  /** Set for a line that is checked: what it should be, and whether it is. */
  readonly expected?: number;
  readonly ok?: boolean;
}

export interface ReconciliationReport {
  readonly lines: readonly ReconciliationLine[];
  readonly ok: boolean;
  /** The labels of the lines that do not reconcile. */
  readonly failures: readonly string[];
}

const check = (label: string, value: number, expected: number): ReconciliationLine => ({ label, value, expected, ok: value === expected });
const info = (label: string, value: number | string): ReconciliationLine => ({ label, value });

export function reconcile(counts: ReconciliationCounts): ReconciliationReport {
  const { received, archived, quarantined, summarised, emitted, alerts } = counts;
  const receivedDuplicates = received.readings - received.distinctReadings;
  const streamQuarantined = quarantined.recordsBySource['stream'] ?? 0;
  const lines: ReconciliationLine[] = [
    info('stream records received', received.records),
    info('readings received', received.readings),
    info('distinct readings received', received.distinctReadings),
    info('duplicate readings received', receivedDuplicates),
    check('distinct readings archived', archived.distinctReadings, received.distinctReadings),
    // The raw archive records what arrived: a reading put twice is archived twice, a redelivery rewrites in place.
    check('duplicates archived', archived.rows - archived.distinctReadings, receivedDuplicates),
    info('stream records refused', received.rejectedRecords),
    check('stream records quarantined', streamQuarantined, received.rejectedRecords),
    check('stream lines quarantined', quarantined.streamLines, received.rejectedLines),
    ...Object.entries(quarantined.recordsBySource).filter(([source]) => source !== 'stream').sort()
      .map(([source, n]) => info(`${source} records quarantined`, n)),
    ...Object.entries(quarantined.linesByReason).sort().map(([reason, n]) => info(`quarantined lines ${reason}`, n)),
    info('readings in UnicornSensorData', summarised.readings),
    check('readings in closed minutes in UnicornSensorData', summarised.closedMinuteReadings, received.distinctInClosedMinutes),
    info('open minutes (newest per unicorn, may wait in the window state)', received.openMinutes),
    info('readings received in open minutes', received.distinctInOpenMinutes),
    info('minutes in UnicornSensorData', summarised.minutes),
    info('imported minutes in UnicornSensorData', summarised.importedMinutes),
    info('minutes emitted', emitted.minutes),
    check('emitted minutes missing from the table', emitted.notInTable, 0),
    check('emitted minutes with a stale count', emitted.stale, 0),
    check('closed minutes not emitted', emitted.pendingNotLatest, 0),
    info('alert objects archived', alerts.archivedObjects),
    check('alerts archived more than once', alerts.archivedObjects - alerts.archivedIds, 0),
    ...(alerts.published === undefined
      ? [info('alerts published', 'not known (give --published-alerts)')]
      : [
          check('alerts published', alerts.published.ids, alerts.archivedIds),
          check('alerts published, not archived', alerts.published.notArchived, 0),
          check('alerts archived, not published', alerts.published.notPublished, 0),
        ]),
  ];
  const failures = lines.filter((line) => line.ok === false).map((line) => line.label);
  return { lines, ok: failures.length === 0, failures };
}

/** The report as aligned text: one line per count, checked lines marked, failures naming what they expected. */
export function formatReport(report: ReconciliationReport, range: ReconciliationRange): string {
  const width = Math.max(...report.lines.map((line) => line.label.length));
  const body = report.lines.map((line) => {
    const mark = line.ok === undefined ? '  ' : line.ok ? 'ok' : '!!';
    const tail = line.ok === false ? `   expected ${line.expected}` : '';
    return `${mark} ${line.label.padEnd(width)}  ${String(line.value).padStart(9)}${tail}`;
  });
  const verdict = report.ok ? 'reconciled' : `NOT reconciled: ${report.failures.join('; ')}`;
  return [`range ${new Date(range.from).toISOString()} .. ${new Date(range.to).toISOString()}`, ...body, verdict, ''].join('\n');
}
