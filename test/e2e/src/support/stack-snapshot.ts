import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbHealthReader } from '@wildrydes/adapters/dynamodb';
import { KinesisStreamHistory } from '@wildrydes/adapters/kinesis';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { parseStatusTime, RESOURCE_NAMES, type UnicornAlert } from '@wildrydes/domain';
import type { LocalStack } from '@wildrydes/local';
import { gatherCounts, openLocalSources, reconcile, type ReconciliationReport } from '@wildrydes/reconcile';

/** Silence is judged by arrival on the wall clock (ADR 9), so these alerts depend on when a run happened, not on its input. */
const WALL_CLOCK_KINDS = new Set(['UnicornSilent', 'UnicornBack']);

/** What a run of the stack left behind, in a form two runs of the same input can be compared by. */
export interface StackSnapshot {
  /**
   * `UnicornHealth` as the fleet's readers see it: each unicorn's levels and silence, and the shards with a record.
   * Not its last reading or a shard's watermark: those are coalesced by design (saved every 10 s, and refreshed by
   * the wall-clock silence scan, ADR 9), so they depend on where batches happened to end. Nor whether a healthy
   * unicorn has its own item yet or is still carried by its shard's record: first states are written a few a batch
   * (ADR 9), so that too depends on how many batches there were. The transitions themselves are compared through the
   * alert ids.
   */
  readonly health: readonly unknown[];
  /** `UnicornSensorData`: every minute with its readings' identities, without versions and emitted marks. */
  readonly summaries: readonly unknown[];
  /** `raw/`: every archived line, one per reading (Name + StatusTime), whatever objects held them. */
  readonly archivedReadings: ReadonlyMap<string, string>;
  /** Archived lines in all, a reading put twice counted twice. */
  readonly archivedLines: number;
  /**
   * `rejected/`: one entry per object, its lines without the record's stream position and arrival (which differ
   * from one stream to the next, not from one delivery to the next), sorted.
   */
  readonly quarantine: readonly string[];
  /** `alerts/`: alert ids archived (wall-clock kinds left out). */
  readonly archivedAlertIds: readonly string[];
  /** Minutes on `wildrydes-summary`, with their last emitted reading count. */
  readonly emittedMinutes: ReadonlyMap<string, number>;
}

async function scan(stack: LocalStack, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.clients.documentClient.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items.sort((a, b) => String(a['Name']).localeCompare(String(b['Name'])) || String(a['StatusTime']).localeCompare(String(b['StatusTime'])));
}

const base64 = (value: unknown): unknown => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value);

export async function snapshotStack(stack: LocalStack): Promise<StackSnapshot> {
  const unicorns = (await new DynamoDbHealthReader(stack.clients.documentClient).readAll()).map(({ state }) => (
    { Name: state.name, HealthLevel: state.levels.HealthPoints, MagicLevel: state.levels.MagicPoints, Silent: state.silent }
  ));
  const shards = (await scan(stack, RESOURCE_NAMES.healthTable)).filter((item) => typeof item['ShardId'] === 'string').map((item) => ({ ShardId: item['ShardId'] }));
  const health = [...unicorns, ...shards];
  const summaries = (await scan(stack, RESOURCE_NAMES.summaryTable)).map((item) => {
    const { Version: _version, EmittedVersion: _emitted, ...rest } = item;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, base64(v)]));
  });

  const bucket = new S3ArchiveStore(stack.clients.s3, RESOURCE_NAMES.dataBucket);
  const archivedReadings = new Map<string, string>();
  let archivedLines = 0;
  for await (const key of bucket.list('raw/')) {
    for (const line of await bucket.read(key)) {
      if (line.trim() === '') continue;
      const reading = JSON.parse(line) as { Name: string; StatusTime: string };
      archivedReadings.set(`${reading.Name}|${reading.StatusTime}`, line);
      archivedLines++;
    }
  }
  const quarantine: string[] = [];
  for await (const key of bucket.list('rejected/')) {
    const lines = (await bucket.read(key)).map((line) => {
      const { sourcePosition: _position, receivedAt: _received, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
    quarantine.push(JSON.stringify(lines));
  }
  const archivedAlertIds: string[] = [];
  for await (const key of bucket.list('alerts/')) {
    for (const line of await bucket.read(key)) {
      const alert = JSON.parse(line) as UnicornAlert;
      if (!WALL_CLOCK_KINDS.has(alert.kind)) archivedAlertIds.push(alert.alertId);
    }
  }

  const emittedMinutes = new Map<string, number>();
  for await (const record of new KinesisStreamHistory(stack.clients.kinesis, RESOURCE_NAMES.summaryStream).readRetained()) {
    const summary = JSON.parse(new TextDecoder().decode(record.data)) as { Name: string; StatusTime: string; Readings: number };
    emittedMinutes.set(`${summary.Name}|${summary.StatusTime}`, summary.Readings);
  }
  return { health, summaries, archivedReadings, archivedLines, quarantine: quarantine.sort(), archivedAlertIds: archivedAlertIds.sort(), emittedMinutes };
}

/** Published alert ids without the wall-clock kinds, sorted and distinct. */
export const inputAlertIds = (alerts: readonly UnicornAlert[]): string[] =>
  [...new Set(alerts.filter((a) => !WALL_CLOCK_KINDS.has(a.kind)).map((a) => a.alertId))].sort();

/** `reconcile` over the running stack, for the range given, with the alerts a subscriber saw. */
export async function reconcileStack(stack: LocalStack, range: { from: number; to: number }, alerts: readonly UnicornAlert[]): Promise<ReconciliationReport> {
  const published = alerts.map((a) => ({ alertId: a.alertId, readingTime: parseStatusTime(a.readingTime) }));
  const opened = openLocalSources(stack.runtime.endpoints, published);
  try {
    return reconcile(await gatherCounts(opened.sources, range));
  } finally {
    await opened.close();
  }
}

/** Polls until `done` holds, failing with the last value at the deadline (no fixed sleeps). */
export async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value).slice(0, 4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
