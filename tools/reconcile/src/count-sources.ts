import {
  decodeRecord, floorToMinute, formatStatusTime, formatUtcDate, parseStatusTime, WINDOW_MS, type ArchiveStore, type QueryEngine, type QuarantineLine,
  type StreamHistory, type SummaryLedger,
} from '@wildrydes/domain';
import type { ReconciliationCounts, ReconciliationRange } from './reconciliation';

/** Where each count comes from; every one is a port, so the same counting runs on AWS, locally and in tests. */
export interface CountSources {
  /** The telemetry stream `wildrydes`. */
  readonly telemetry: StreamHistory;
  /** The summary stream `wildrydes-summary`. */
  readonly summaryStream: StreamHistory;
  readonly summaries: SummaryLedger;
  /** SQL over the archive (tables `wildrydes`, `unicorn_alerts`). */
  readonly archive: QueryEngine;
  /** The data bucket's objects, for the quarantine under `rejected/`. */
  readonly bucket: ArchiveStore;
  /** Alerts a subscriber saw published, when known; one without a reading time counts in any range. */
  readonly publishedAlerts?: readonly PublishedAlert[];
}

export interface PublishedAlert {
  readonly alertId: string;
  /** The alert's `readingTime` (epoch ms), when the record gave it. */
  readonly readingTime: number | undefined;
}

const DAY_MS = 86_400_000;
const textDecoder = new TextDecoder();

/** Widens a range to whole minutes, so every minute window is wholly in or out of it. */
export function wholeMinutes(range: ReconciliationRange): ReconciliationRange {
  return { from: Math.floor(range.from / WINDOW_MS) * WINDOW_MS, to: Math.ceil(range.to / WINDOW_MS) * WINDOW_MS };
}

export async function gatherCounts(sources: CountSources, requested: ReconciliationRange): Promise<ReconciliationCounts> {
  const range = wholeMinutes(requested);
  const [received, archived, quarantined, table, alerts] = [
    await countReceived(sources.telemetry, range),
    await countArchived(sources.archive, range),
    await countQuarantined(sources.bucket, range),
    await readTable(sources.summaries, range),
    await countAlerts(sources.archive, range, sources.publishedAlerts),
  ];
  const emitted = await countEmitted(sources.summaryStream, range, table);
  // A unicorn's newest minute may still be open in the aggregation's window state: it is compared apart.
  const open = new Set([...received.newestMinuteByName].map(([name, start]) => minuteKey(name, start)));
  let closedMinuteReadings = 0;
  for (const [key, readings] of table.readingsByMinute) if (!open.has(key)) closedMinuteReadings += readings;
  let distinctInOpenMinutes = 0;
  for (const key of open) distinctInOpenMinutes += received.distinctByMinute.get(key) ?? 0;
  const { newestMinuteByName: _newest, distinctByMinute: _byMinute, ...receivedCounts } = received;
  return {
    range, archived, quarantined, emitted, alerts,
    received: { ...receivedCounts, distinctInClosedMinutes: received.distinctReadings - distinctInOpenMinutes, openMinutes: open.size, distinctInOpenMinutes },
    summarised: { ...table.counts, closedMinuteReadings },
  };
}

const inRange = (time: number, range: ReconciliationRange): boolean => time >= range.from && time < range.to;

/**
 * What the stream received, decoded by the domain's decoder as the stream services decode it (with the record's
 * arrival as "now", the earliest time a service could have judged it).
 */
type ReceivedCounts = Omit<ReconciliationCounts['received'], 'distinctInClosedMinutes' | 'openMinutes' | 'distinctInOpenMinutes'> & {
  /** Distinct readings per (unicorn, minute) in range. */
  readonly distinctByMinute: ReadonlyMap<string, number>;
  /** Each unicorn's newest minute with a reading in range. */
  readonly newestMinuteByName: ReadonlyMap<string, number>;
};

export async function countReceived(history: StreamHistory, range: ReconciliationRange): Promise<ReceivedCounts> {
  let records = 0, readings = 0, rejectedRecords = 0, rejectedLines = 0;
  const distinct = new Set<string>();
  for await (const record of history.readRetained()) {
    records++;
    const decoded = decodeRecord(record.data, { now: record.arrivedAt });
    for (const reading of decoded.readings) {
      if (!inRange(reading.time, range)) continue;
      readings++;
      distinct.add(`${reading.name}\u0000${reading.time}`);
    }
    if (decoded.rejections.length > 0 && inRange(record.arrivedAt, range)) {
      rejectedRecords++;
      rejectedLines += decoded.rejections.length;
    }
  }
  const distinctByMinute = new Map<string, number>();
  const newestMinuteByName = new Map<string, number>();
  for (const identity of distinct) {
    const [name, time] = identity.split('\u0000') as [string, string];
    const start = floorToMinute(Number(time));
    const key = minuteKey(name, start);
    distinctByMinute.set(key, (distinctByMinute.get(key) ?? 0) + 1);
    newestMinuteByName.set(name, Math.max(newestMinuteByName.get(name) ?? -Infinity, start));
  }
  return { records, readings, distinctReadings: distinct.size, rejectedRecords, rejectedLines, distinctByMinute, newestMinuteByName };
}

const sqlTime = (epochMs: number): string => `TIMESTAMP '${formatStatusTime(epochMs)}'`;
/** Partitions to read: a day either side, so an object filed under a neighbouring day is not missed. */
const dtBetween = (range: ReconciliationRange): string =>
  `dt BETWEEN '${formatUtcDate(range.from - DAY_MS)}' AND '${formatUtcDate(range.to + DAY_MS)}'`;
const numberOf = (value: unknown): number => Number(value ?? 0);

export async function countArchived(engine: QueryEngine, range: ReconciliationRange): Promise<ReconciliationCounts['archived']> {
  const result = await engine.query(
    `SELECT COUNT(*) AS archived_rows, COUNT(DISTINCT name || '|' || CAST(statustime AS VARCHAR)) AS distinct_readings FROM wildrydes ` +
    `WHERE ${dtBetween(range)} AND statustime >= ${sqlTime(range.from)} AND statustime < ${sqlTime(range.to)}`,
  );
  const row = result.rows[0] ?? [];
  return { rows: numberOf(row[0]), distinctReadings: numberOf(row[1]) };
}

export async function countAlerts(engine: QueryEngine, range: ReconciliationRange, alerts: readonly PublishedAlert[] | undefined): Promise<ReconciliationCounts['alerts']> {
  const published = alerts === undefined ? undefined
    : new Set(alerts.filter((a) => a.readingTime === undefined || inRange(a.readingTime, range)).map((a) => a.alertId));
  const result = await engine.query(
    `SELECT alertid, COUNT(*) AS objects FROM unicorn_alerts WHERE ${dtBetween(range)} AND readingtime >= ${sqlTime(range.from)} ` +
    `AND readingtime < ${sqlTime(range.to)} GROUP BY alertid`,
  );
  const archivedIds = new Set(result.rows.map((row) => String(row[0])));
  const archivedObjects = result.rows.reduce((n, row) => n + numberOf(row[1]), 0);
  return {
    archivedObjects,
    archivedIds: archivedIds.size,
    published: published === undefined ? undefined : {
      ids: published.size,
      notArchived: [...published].filter((id) => !archivedIds.has(id)).length,
      notPublished: [...archivedIds].filter((id) => !published.has(id)).length,
    },
  };
}

/** Where a quarantined record came from, by the shape of its source position. */
export function sourceOf(sourcePosition: string): 'stream' | 'http' | 'alert' | 'upload' {
  if (/^shardId-[^:]+:\d+$/.test(sourcePosition)) return 'stream';
  if (sourcePosition.startsWith('http:')) return 'http';
  if (sourcePosition.startsWith('unicorn-alert:')) return 'alert';
  return 'upload';
}

export async function countQuarantined(bucket: ArchiveStore, range: ReconciliationRange): Promise<ReconciliationCounts['quarantined']> {
  const recordsBySource: Record<string, number> = {};
  const linesByReason: Record<string, number> = {};
  let streamLines = 0;
  for (let day = Math.floor(range.from / DAY_MS) * DAY_MS; day < range.to; day += DAY_MS) {
    for await (const key of bucket.list(`rejected/dt=${formatUtcDate(day)}/`)) {
      const hour = Number(/\/hour=(\d\d)\//.exec(key)?.[1] ?? NaN);
      // Objects are filed by the hour their record was received: skip hours wholly outside the range.
      if (Number.isFinite(hour) && (day + (hour + 1) * 3_600_000 <= range.from || day + hour * 3_600_000 >= range.to)) continue;
      const lines = (await bucket.read(key)).filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as QuarantineLine);
      const first = lines[0];
      if (first === undefined || !inRange(Date.parse(first.receivedAt), range)) continue;
      const source = sourceOf(first.sourcePosition);
      recordsBySource[source] = (recordsBySource[source] ?? 0) + 1;
      for (const line of lines) linesByReason[line.code] = (linesByReason[line.code] ?? 0) + 1;
      if (source === 'stream') streamLines += lines.length;
    }
  }
  return { recordsBySource, linesByReason, streamLines };
}

interface TableMinutes {
  readonly counts: Omit<ReconciliationCounts['summarised'], 'closedMinuteReadings'>;
  /** Live minutes in range: key → readings. */
  readonly readingsByMinute: ReadonlyMap<string, number>;
  /** Each unicorn's latest live minute from the range's start on (in range or after). */
  readonly latestByName: ReadonlyMap<string, number>;
}

const minuteKey = (name: string, windowStart: number): string => `${name}\u0000${windowStart}`;

async function readTable(ledger: SummaryLedger, range: ReconciliationRange): Promise<TableMinutes> {
  const readingsByMinute = new Map<string, number>();
  const latestByName = new Map<string, number>();
  let minutes = 0, readings = 0, importedMinutes = 0;
  for await (const minute of ledger.minutes({ from: range.from, to: Number.MAX_SAFE_INTEGER })) {
    if (minute.importedFrom !== undefined) {
      if (inRange(minute.windowStart, range)) importedMinutes++;
      continue;
    }
    latestByName.set(minute.name, Math.max(latestByName.get(minute.name) ?? -Infinity, minute.windowStart));
    if (!inRange(minute.windowStart, range)) continue;
    minutes++;
    readings += minute.readings;
    readingsByMinute.set(minuteKey(minute.name, minute.windowStart), minute.readings);
  }
  return { counts: { minutes, readings, importedMinutes }, readingsByMinute, latestByName };
}

/** The summary stream against the table: each emitted minute's last emission, and the minutes never emitted. */
export async function countEmitted(history: StreamHistory, range: ReconciliationRange, table: TableMinutes): Promise<ReconciliationCounts['emitted']> {
  const lastEmitted = new Map<string, number>();
  for await (const record of history.readRetained()) {
    for (const text of textDecoder.decode(record.data).split('\n')) {
      if (text.trim() === '') continue;
      const summary = JSON.parse(text) as { Name: string; StatusTime: string; Readings: number };
      const windowStart = parseStatusTime(summary.StatusTime) - WINDOW_MS;
      if (inRange(windowStart, range)) lastEmitted.set(minuteKey(summary.Name, windowStart), summary.Readings);
    }
  }
  let notInTable = 0, stale = 0, pendingNotLatest = 0;
  for (const [key, readings] of lastEmitted) {
    const stored = table.readingsByMinute.get(key);
    if (stored === undefined) notInTable++;
    else if (stored !== readings) stale++;
  }
  for (const key of table.readingsByMinute.keys()) {
    if (lastEmitted.has(key)) continue;
    const [name, start] = key.split('\u0000') as [string, string];
    if (Number(start) !== table.latestByName.get(name)) pendingNotLatest++;
  }
  return { minutes: lastEmitted.size, notInTable, stale, pendingNotLatest };
}
