import { randomUUID } from 'node:crypto';
import type { Context, KinesisStreamRecord } from 'aws-lambda';
import type { StreamRecord as KinesisApiRecord } from './raw-get-records';
import type { KinesisTumblingWindowEvent } from './event-source-mapping.options';

/** What Lambda knows about the mapping when it builds an event: the same for every record of a stream. */
export interface EventSourceIdentity {
  streamArn: string;
  awsRegion: string;
  functionArn: string;
  invokeIdentityArn: string;
}

/** A record as Lambda delivers it, with its size in the invocation payload worked out once. */
export interface DeliverableRecord {
  event: KinesisStreamRecord;
  bytes: number;
}

export function toDeliverableRecord(
  record: KinesisApiRecord, shardId: string, identity: EventSourceIdentity,
): DeliverableRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  const event: KinesisStreamRecord = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: record.base64Data ?? Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: identity.invokeIdentityArn,
    awsRegion: identity.awsRegion,
    eventSourceARN: identity.streamArn,
  };
  return { event, bytes: serialisedBytes(event) };
}

/** The fixed part of a record's JSON: every key, quote, colon, comma and brace, and the constant values. */
const RECORD_FRAME_BYTES = Buffer.byteLength(JSON.stringify({
  kinesis: { kinesisSchemaVersion: '1.0', partitionKey: '', sequenceNumber: '', data: '', approximateArrivalTimestamp: 0 },
  eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: '', eventName: 'aws:kinesis:record', invokeIdentityArn: '', awsRegion: '', eventSourceARN: '',
})) - 1;

/** Bytes of `text` as a JSON string, quotes excluded; base64 and digits (most of a record) need no escaping. */
const stringBytes = (text: string): number => (/^[\w+/=:.-]*$/.test(text) ? text.length : Buffer.byteLength(JSON.stringify(text)) - 2);

/**
 * `Buffer.byteLength(JSON.stringify(event))`, summed from the parts: stringifying every record of every batch to
 * size it was 5 % of the local stack's CPU.
 */
function serialisedBytes(event: KinesisStreamRecord): number {
  const { kinesis } = event;
  return RECORD_FRAME_BYTES + stringBytes(kinesis.partitionKey) + stringBytes(kinesis.sequenceNumber) + stringBytes(kinesis.data)
    + String(kinesis.approximateArrivalTimestamp).length + stringBytes(event.eventID) + stringBytes(event.invokeIdentityArn)
    + stringBytes(event.awsRegion) + stringBytes(event.eventSourceARN);
}

/** `{"Records":[` + `]}`, plus one comma between records. */
export const eventBytes = (recordBytes: number, recordCount: number): number =>
  14 + recordBytes + Math.max(0, recordCount - 1);

/** A fresh copy per invocation: a handler that mutates its event must not change what a retry delivers. */
export const copyRecord = (record: KinesisStreamRecord): KinesisStreamRecord =>
  ({ ...record, kinesis: { ...record.kinesis } });

const deprecatedCallback = (): never => {
  throw new Error('context.done/succeed/fail are not supported: return or throw from the async handler');
};

export function lambdaContext(
  functionName: string, functionArn: string, timeoutMs: number, now: () => number,
): Context {
  const deadline = now() + timeoutMs;
  const day = new Date(now()).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: deprecatedCallback,
    fail: deprecatedCallback,
    succeed: deprecatedCallback,
  };
}

/**
 * Reads a handler's response the way Lambda does with ReportBatchItemFailures and returns the index of the
 * first record to retry, or undefined when the batch succeeded. Success: no response, no list, or an empty list.
 * Whole-batch failure (0): an identifier that is missing, empty, not a string or not in the batch.
 */
export function retryFromIndex(response: unknown, sequenceNumbers: readonly string[]): number | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return undefined;
  if (!Array.isArray(failures)) return 0;
  if (failures.length === 0) return undefined;
  const indexOf = new Map(sequenceNumbers.map((sequenceNumber, index) => [sequenceNumber, index]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' ? indexOf.get(id) : undefined;
    if (index === undefined) return 0;
    lowest = Math.min(lowest, index);
  }
  return lowest;
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The record Lambda sends to an on-failure destination (SQS/SNS) for Kinesis records it discards. */
export interface KinesisOnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: FailureCondition;
    approximateInvokeCount: number;
  };
  /** Absent when the records were discarded without being delivered (too old before any attempt). */
  responseContext?: {
    statusCode: number;
    executedVersion: string;
    functionError?: 'Unhandled';
  };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export function onFailureRecord(args: {
  records: readonly DeliverableRecord[];
  shardId: string;
  identity: EventSourceIdentity;
  condition: FailureCondition;
  invokeCount: number;
  functionError: boolean;
  now: number;
}): KinesisOnFailureRecord {
  const first = args.records[0]?.event.kinesis;
  const last = args.records[args.records.length - 1]?.event.kinesis;
  const arrival = (seconds: number | undefined): string => new Date((seconds ?? 0) * 1000).toISOString();
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: args.identity.functionArn,
      condition: args.condition,
      approximateInvokeCount: args.invokeCount,
    },
    ...(args.invokeCount > 0 && {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(args.functionError && { functionError: 'Unhandled' as const }),
      },
    }),
    version: '1.0',
    timestamp: new Date(args.now).toISOString(),
    KinesisBatchInfo: {
      shardId: args.shardId,
      startSequenceNumber: first?.sequenceNumber ?? '',
      endSequenceNumber: last?.sequenceNumber ?? '',
      approximateArrivalOfFirstRecord: arrival(first?.approximateArrivalTimestamp),
      approximateArrivalOfLastRecord: arrival(last?.approximateArrivalTimestamp),
      batchSize: args.records.length,
      streamArn: args.identity.streamArn,
    },
  };
}

/** A tumbling window in epoch milliseconds, start included, end excluded. */
export interface WindowBounds {
  startMs: number;
  endMs: number;
}

/**
 * The window a record falls in, by its arrival time. Windows are aligned on multiples of their size since the Unix
 * epoch, as the windows in AWS's example events are (07:04:00–07:06:00 for 120 s, 17:00:00–17:05:00 for 300 s).
 */
export function windowOf(approximateArrivalTimestamp: number, sizeSeconds: number): WindowBounds {
  const sizeMs = sizeSeconds * 1000;
  // Arrival times are seconds with millisecond decimals; rounding first keeps 1.001 * 1000 from landing at 1000.9999.
  const startMs = Math.floor(Math.round(approximateArrivalTimestamp * 1000) / sizeMs) * sizeMs;
  return { startMs, endMs: startMs + sizeMs };
}

/** `2020-12-09T07:04:00Z`, the form of `window.start` and `window.end` in AWS's example event (whole seconds). */
export const windowTime = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function tumblingWindowEvent(args: {
  records: readonly DeliverableRecord[];
  window: WindowBounds;
  state: Record<string, unknown>;
  shardId: string;
  identity: EventSourceIdentity;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}): KinesisTumblingWindowEvent {
  return {
    Records: args.records.map((record) => copyRecord(record.event)),
    window: { start: windowTime(args.window.startMs), end: windowTime(args.window.endMs) },
    // A copy: a handler that updates the state it was given and then fails must not change what its retry gets.
    state: structuredClone(args.state),
    shardId: args.shardId,
    eventSourceARN: args.identity.streamArn,
    isFinalInvokeForWindow: args.isFinalInvokeForWindow,
    isWindowTerminatedEarly: args.isWindowTerminatedEarly,
  };
}

/**
 * The state of a tumbling-window response, as the JSON Lambda would keep, with its size; undefined when the response
 * has no `state` object, which Lambda counts as a failed invocation.
 */
export function stateOf(response: unknown): { state: Record<string, unknown>; bytes: number } | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  const state = (response as { state?: unknown }).state;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return undefined;
  const json = JSON.stringify(state);
  return { state: JSON.parse(json) as Record<string, unknown>, bytes: Buffer.byteLength(json) };
}
