import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { startProcess } from './child-processes';
import { readingKey, type ArchivedVitals, type ArrivedSummary } from './capacity-measures';
import { BenchError } from './bench.errors';

/** What the raw archive holds after a run (DuckDB through the real query CLI). */
export interface ArchiveCounts {
  readonly rows: number;
  /** Distinct (name, StatusTime): a reading archived twice counts once. */
  readonly distinctReadings: number;
  readonly unicorns: number;
  /** (unicorn, minute) pairs the readings span, first to last minute of each unicorn. */
  readonly minutes: number;
  /** The same less each unicorn's last minute: the minutes a later reading closed. */
  readonly closedMinutes: number;
  readonly lastReadingMs: number | null;
  /** The declining unicorn's first reading and how many it sent (to place a reading in its packs). */
  readonly declinerFirstReadingMs: number | null;
  readonly declinerReadings: number;
}

const ARCHIVE_SQL = (decliner: string) => `
WITH per AS (
  SELECT name, count(*) AS n, count(DISTINCT statustime) AS d,
         date_diff('minute', date_trunc('minute', min(statustime)), date_trunc('minute', max(statustime))) AS spanned,
         min(statustime) AS first_time, max(statustime) AS last_time
  FROM wildrydes GROUP BY name
)
SELECT CAST(coalesce(sum(n), 0) AS DOUBLE) AS rows_archived,
       CAST(coalesce(sum(d), 0) AS DOUBLE) AS distinct_readings,
       CAST(count(*) AS DOUBLE) AS unicorns,
       CAST(coalesce(sum(spanned + 1), 0) AS DOUBLE) AS minutes,
       CAST(coalesce(sum(spanned), 0) AS DOUBLE) AS closed_minutes,
       CAST(epoch_ms(max(last_time)) AS DOUBLE) AS last_ms,
       CAST(epoch_ms(min(first_time) FILTER (WHERE name = '${decliner.replaceAll("'", "''")}')) AS DOUBLE) AS decliner_first_ms,
       CAST(coalesce(sum(n) FILTER (WHERE name = '${decliner.replaceAll("'", "''")}'), 0) AS DOUBLE) AS decliner_readings
FROM per`;

/** Runs `npm run query -- --local SQL --format json` (the stack must still be running) and returns its rows. */
async function runQuery(repoRoot: string, sql: string): Promise<Record<string, unknown>[]> {
  let stdout = '';
  const query = startProcess('npm run query', 'npm', ['run', '--silent', 'query', '--', '--local', sql.replace(/\s+/g, ' ').trim(), '--format', 'json'], {
    cwd: repoRoot,
    onLine: (line, stream) => {
      if (stream === 'stdout') stdout += `${line}\n`;
    },
  });
  const code = await query.exited;
  if (code !== 0) throw new BenchError('QUERY_FAILED', `npm run query exited with ${String(code)}:\n${query.tail()}`);
  await query.stop(1_000);
  try {
    return JSON.parse(stdout) as Record<string, unknown>[];
  } catch {
    throw new BenchError('QUERY_FAILED', `npm run query printed no JSON:\n${query.tail()}`);
  }
}

/** The archive's counts for a run (one row). */
export async function queryArchive(repoRoot: string, decliner: string): Promise<ArchiveCounts> {
  const row = ((await runQuery(repoRoot, ARCHIVE_SQL(decliner)))[0] ?? {}) as Record<string, number | null>;
  const n = (key: string): number => row[key] ?? 0;
  return {
    rows: n('rows_archived'),
    distinctReadings: n('distinct_readings'),
    unicorns: n('unicorns'),
    minutes: n('minutes'),
    closedMinutes: n('closed_minutes'),
    lastReadingMs: row['last_ms'] ?? null,
    declinerFirstReadingMs: row['decliner_first_ms'] ?? null,
    declinerReadings: n('decliner_readings'),
  };
}

const quoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The archived vitals of the readings the alerts name (at most 50 unicorns), by `readingKey`. */
export async function queryAlertReadings(repoRoot: string, alerts: readonly { readonly name: string; readonly readingTime: string }[]): Promise<Map<string, ArchivedVitals>> {
  const wanted = new Set(alerts.map((alert) => readingKey(alert.name, alert.readingTime)));
  const names = [...new Set(alerts.map((alert) => alert.name))].slice(0, 50);
  const readings = new Map<string, ArchivedVitals>();
  if (names.length === 0) return readings;
  const rows = await runQuery(repoRoot, `
SELECT name, strftime(statustime, '%Y-%m-%d %H:%M:%S.%g') AS reading_time,
       CAST(MagicPoints AS DOUBLE) AS magic, CAST(HealthPoints AS DOUBLE) AS health
FROM wildrydes WHERE name IN (${names.map(quoted).join(', ')})`);
  for (const row of rows) {
    const key = readingKey(String(row['name']), String(row['reading_time']));
    if (wanted.has(key)) readings.set(key, { MagicPoints: Number(row['magic']), HealthPoints: Number(row['health']) });
  }
  return readings;
}

/** Items in UnicornSensorData (one per unicorn-minute), and how many are marked emitted. */
export async function countSummaryItems(dynamodb: DynamoDBClient): Promise<{ items: number; emitted: number }> {
  let items = 0;
  let emitted = 0;
  let startKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({
      TableName: RESOURCE_NAMES.summaryTable,
      Select: 'COUNT',
      FilterExpression: 'attribute_exists(EmittedVersion)',
      ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
    }));
    items += page.ScannedCount ?? 0;
    emitted += page.Count ?? 0;
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey !== undefined);
  return { items, emitted };
}

/**
 * Every record of `wildrydes-summary` from the trim horizon to the tip, each line as a summary with the time the
 * stream took the record. Run after the services are drained, when nothing more is being emitted.
 */
export async function readSummaryStream(kinesis: KinesisClient): Promise<ArrivedSummary[]> {
  const stream = RESOURCE_NAMES.summaryStream;
  const summaries: ArrivedSummary[] = [];
  const decoder = new TextDecoder();
  const shards = (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  for (const shard of shards) {
    let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      for (const record of records) {
        const arrivedAt = record.ApproximateArrivalTimestamp?.getTime() ?? Number.NaN;
        for (const line of decoder.decode(record.Data).split('\n')) {
          if (line.trim() === '') continue;
          const summary = JSON.parse(line) as { Name?: unknown; StatusTime?: unknown };
          if (typeof summary.Name === 'string' && typeof summary.StatusTime === 'string') summaries.push({ name: summary.Name, statusTime: summary.StatusTime, arrivedAt });
        }
      }
      iterator = records.length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return summaries;
}
