/**
 * What the billing meter hands out: plain, JSON-serialisable totals, per service label and per resource.
 * Every counter is a number of the unit AWS bills in (or a count that explains one), never dollars: prices are
 * applied later by the cost model.
 */

export interface DynamoDbTableUsage {
  /** API calls that named the table and that DynamoDB answered (one per table for a batch call), control plane included. */
  requests: number;
  /** Write request units: ⌈item size / 1 KB⌉ per item written, failed conditional writes included. */
  writeRequestUnits: number;
  /** The part of `writeRequestUnits` spent on writes whose condition failed (they still consume the item's units). */
  conditionalCheckFailedWriteUnits: number;
  /** The part of the request units (read or write) whose item size was not visible and was estimated (see README). */
  estimatedRequestUnits: number;
  /** Items put, updated or deleted (BatchWriteItem's unprocessed items excluded). */
  itemsWritten: number;
  /** BatchWriteItem items handed back in `UnprocessedItems`: not written, not billed. */
  unprocessedItems: number;
  /** Read request units: ⌈size / 4 KB⌉ (halved when eventually consistent), per GetItem / BatchGetItem item or per Query / Scan call. */
  readRequestUnits: number;
  /** Items returned by reads (Query/Scan: `Count`). */
  itemsRead: number;
}

export interface KinesisStreamUsage {
  /** PutRecord / PutRecords calls. */
  putRequests: number;
  /** Records accepted (a PutRecords entry with an ErrorCode is not). */
  records: number;
  /** Bytes of the accepted records: data plus partition key. */
  bytes: number;
  /** Provisioned pricing: each record's size rounded up to 25 KB chunks. */
  putPayloadUnits: number;
  /** On-demand pricing: each record's size rounded up to 1 KB, in KB (1,024 bytes). */
  onDemandBilledKb: number;
  /** Records Kinesis refused (PutRecords entries with an ErrorCode, or a PutRecord that failed). */
  failedRecords: number;
  getRecordsCalls: number;
  recordsRead: number;
  /** Bytes of the records read: data plus partition key (on-demand bills retrieval per GB, unrounded). */
  bytesRead: number;
  /** Every other call about the stream (GetShardIterator, DescribeStreamSummary, ListShards, ...): free. */
  otherRequests: number;
}

export interface S3BucketUsage {
  /** PUT, COPY, POST and LIST requests (the dearer request tier). */
  putClassRequests: number;
  /** GET, HEAD, SELECT and every other request (the cheaper tier). */
  getClassRequests: number;
  /** DELETE and abort requests: free. */
  freeRequests: number;
  /** Bytes stored by PutObject / UploadPart calls that succeeded. */
  bytesPut: number;
  /** Bytes returned by GetObject (free within the region; kept to explain the run). */
  bytesRead: number;
}

export interface EventBridgeBusUsage {
  /** PutEvents calls with at least one entry for the bus. */
  putEventsCalls: number;
  /** Entries accepted (an entry with an ErrorCode is not). */
  entries: number;
  /** Billed events: each accepted entry's size in 64 KB chunks. */
  eventUnits: number;
  failedEntries: number;
  /** Every other call about the bus (rules, targets, buses): free. */
  otherRequests: number;
}

export interface SqsQueueUsage {
  /** API calls SQS answered. */
  requests: number;
  /** Billed requests: each call's payload in 64 KB chunks, at least one per call. */
  requestUnits: number;
  messagesSent: number;
  messagesReceived: number;
}

export interface LambdaFunctionUsage {
  invocations: number;
  /** Durations rounded up to the millisecond, summed. */
  billedDurationMs: number;
  /** Memory (MB / 1,024) × billed seconds, summed. */
  gbSeconds: number;
}

export interface ServiceUsage {
  readonly dynamodb: Record<string, DynamoDbTableUsage>;
  readonly kinesis: Record<string, KinesisStreamUsage>;
  readonly s3: Record<string, S3BucketUsage>;
  readonly eventbridge: Record<string, EventBridgeBusUsage>;
  readonly sqs: Record<string, SqsQueueUsage>;
  readonly lambda: Record<string, LambdaFunctionUsage>;
}

export type ResourceKind = keyof ServiceUsage;

export interface MeterTotals {
  /** Usage per service label (`health`, `aggregation`, ...): the label given to `attach` or `recordInvocation`. */
  readonly services: Record<string, ServiceUsage>;
  /** Calls the meter saw but could not price: a service it does not meter, or a request whose units it could not compute. */
  readonly unmetered: { calls: number; reasons: string[] };
}

export const emptyServiceUsage = (): ServiceUsage => ({ dynamodb: {}, kinesis: {}, s3: {}, eventbridge: {}, sqs: {}, lambda: {} });

export const emptyDynamoDbTableUsage = (): DynamoDbTableUsage => ({
  requests: 0, writeRequestUnits: 0, conditionalCheckFailedWriteUnits: 0, estimatedRequestUnits: 0,
  itemsWritten: 0, unprocessedItems: 0, readRequestUnits: 0, itemsRead: 0,
});

export const emptyKinesisStreamUsage = (): KinesisStreamUsage => ({
  putRequests: 0, records: 0, bytes: 0, putPayloadUnits: 0, onDemandBilledKb: 0, failedRecords: 0,
  getRecordsCalls: 0, recordsRead: 0, bytesRead: 0, otherRequests: 0,
});

export const emptyS3BucketUsage = (): S3BucketUsage => ({ putClassRequests: 0, getClassRequests: 0, freeRequests: 0, bytesPut: 0, bytesRead: 0 });

export const emptyEventBridgeBusUsage = (): EventBridgeBusUsage => ({ putEventsCalls: 0, entries: 0, eventUnits: 0, failedEntries: 0, otherRequests: 0 });

export const emptySqsQueueUsage = (): SqsQueueUsage => ({ requests: 0, requestUnits: 0, messagesSent: 0, messagesReceived: 0 });

export const emptyLambdaFunctionUsage = (): LambdaFunctionUsage => ({ invocations: 0, billedDurationMs: 0, gbSeconds: 0 });

const count = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Parts of a row, skipping the ones that are zero. */
const parts = (...items: ReadonlyArray<readonly [number, () => string]>): string =>
  items.filter(([n]) => n !== 0).map(([, text]) => text()).join(' · ') || 'no billable use';

const describe = {
  dynamodb: (u: DynamoDbTableUsage) => parts(
    [u.writeRequestUnits, () => `WRU ${count(u.writeRequestUnits)}`],
    [u.conditionalCheckFailedWriteUnits, () => `(${count(u.conditionalCheckFailedWriteUnits)} on failed conditions)`],
    [u.readRequestUnits, () => `RRU ${count(u.readRequestUnits)}`],
    [u.itemsWritten, () => `${count(u.itemsWritten)} written`],
    [u.unprocessedItems, () => `${count(u.unprocessedItems)} unprocessed`],
    [u.itemsRead, () => `${count(u.itemsRead)} read`],
    [u.estimatedRequestUnits, () => `${count(u.estimatedRequestUnits)} units estimated`],
  ),
  kinesis: (u: KinesisStreamUsage) => parts(
    [u.records, () => `${count(u.records)} records put, ${bytes(u.bytes)}`],
    [u.putPayloadUnits, () => `PPU ${count(u.putPayloadUnits)}`],
    [u.onDemandBilledKb, () => `on-demand ${bytes(u.onDemandBilledKb * 1024)}`],
    [u.failedRecords, () => `${count(u.failedRecords)} refused`],
    [u.getRecordsCalls, () => `GetRecords ${count(u.getRecordsCalls)}`],
    [u.recordsRead, () => `${count(u.recordsRead)} read, ${bytes(u.bytesRead)}`],
  ),
  s3: (u: S3BucketUsage) => parts(
    [u.putClassRequests, () => `PUT-class ${count(u.putClassRequests)}`],
    [u.getClassRequests, () => `GET-class ${count(u.getClassRequests)}`],
    [u.bytesPut, () => `${bytes(u.bytesPut)} put`],
    [u.bytesRead, () => `${bytes(u.bytesRead)} read`],
  ),
  eventbridge: (u: EventBridgeBusUsage) => parts(
    [u.entries, () => `${count(u.entries)} entries`],
    [u.eventUnits, () => `${count(u.eventUnits)} billed events`],
    [u.failedEntries, () => `${count(u.failedEntries)} failed`],
  ),
  sqs: (u: SqsQueueUsage) => parts(
    [u.requestUnits, () => `${count(u.requestUnits)} billed requests`],
    [u.messagesSent, () => `${count(u.messagesSent)} sent`],
    [u.messagesReceived, () => `${count(u.messagesReceived)} received`],
  ),
  lambda: (u: LambdaFunctionUsage) => parts(
    [u.invocations, () => `${count(u.invocations)} invocations`],
    [u.gbSeconds, () => `${u.gbSeconds.toFixed(3)} GB-s`],
  ),
} satisfies { [K in ResourceKind]: (usage: ServiceUsage[K][string]) => string };

/** A compact table of the totals, one row per service label and resource, for `npm start` to print on exit. */
export function formatMeterTotals(totals: MeterTotals): string {
  const rows: [string, string, string][] = [];
  for (const [label, usage] of Object.entries(totals.services).sort(([a], [b]) => a.localeCompare(b))) {
    for (const kind of Object.keys(describe) as ResourceKind[]) {
      for (const [resource, resourceUsage] of Object.entries(usage[kind]).sort(([a], [b]) => a.localeCompare(b))) {
        const text = (describe[kind] as (u: typeof resourceUsage) => string)(resourceUsage);
        rows.push([label, `${kind} ${resource}`, text]);
      }
    }
  }
  if (rows.length === 0 && totals.unmetered.calls === 0) return 'Billing meter: nothing metered.';
  const header: [string, string, string] = ['service', 'resource', 'billed units'];
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`;
  const lines = ['Billing meter (units AWS would bill):', line(header), ...rows.map(line)];
  if (totals.unmetered.calls > 0) lines.push(`unmetered: ${count(totals.unmetered.calls)} calls (${totals.unmetered.reasons.join('; ')})`);
  return lines.join('\n');
}

// Every usage record is a flat bag of counters, so one walk serves all kinds.
type Counters = Record<string, Record<string, number>>;

/** A service label's usage with every counter mapped by `f` (given the counter's value, resource, name and kind). */
function mapCounters(usage: ServiceUsage, f: (value: number, resource: string, name: string, kind: ResourceKind) => number): ServiceUsage {
  const mapped = emptyServiceUsage();
  for (const kind of Object.keys(mapped) as ResourceKind[]) {
    const target = mapped[kind] as unknown as Counters;
    for (const [resource, counters] of Object.entries((usage[kind] ?? {}) as unknown as Counters)) {
      target[resource] = Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, f(value, resource, name, kind)]));
    }
  }
  return mapped;
}

/**
 * What was metered between two snapshots of one meter: every counter of `later` less the same counter of
 * `earlier` (absent there: 0). The bench prices a fleet's steady state from two snapshots of one run taken after
 * its start-up, which leaves out everything a run pays once (each new unicorn's first state and lookups).
 */
export function meterTotalsBetween(earlier: MeterTotals, later: MeterTotals): MeterTotals {
  const services: Record<string, ServiceUsage> = {};
  for (const [label, usage] of Object.entries(later.services)) {
    const before = earlier.services[label];
    services[label] = mapCounters(usage, (value, resource, name, kind) => value - ((before?.[kind] as unknown as Counters | undefined)?.[resource]?.[name] ?? 0));
  }
  const reasons = later.unmetered.reasons.filter((reason) => !earlier.unmetered.reasons.includes(reason));
  return { services, unmetered: { calls: later.unmetered.calls - earlier.unmetered.calls, reasons } };
}

/**
 * The totals with every counter of the named service labels multiplied by their factor (others unchanged). The
 * bench uses it to bring a service that handled fewer readings than were sent in a measured window (it fell further
 * behind) to the readings sent: its units per reading handled, for every reading.
 */
export function scaleServiceUsage(totals: MeterTotals, factors: Readonly<Record<string, number>>): MeterTotals {
  const services: Record<string, ServiceUsage> = {};
  for (const [label, usage] of Object.entries(totals.services)) {
    const factor = factors[label];
    if (factor !== undefined && !(Number.isFinite(factor) && factor >= 0)) throw new RangeError(`the factor of ${label} must be a finite number ≥ 0, not ${factor}`);
    services[label] = factor === undefined ? usage : mapCounters(usage, (value) => value * factor);
  }
  return { ...totals, services };
}
