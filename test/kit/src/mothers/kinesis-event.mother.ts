import type { KinesisStreamEvent, KinesisStreamRecord, KinesisStreamTumblingWindowEvent } from 'aws-lambda';

/**
 * Builds Lambda Kinesis events for tests, shaped exactly as the event source mapping delivers them
 * (`test/events/kinesis/*.json` hold captured examples of the same shape).
 */
export function kinesisRecord(data: string | Uint8Array, options: { sequenceNumber?: string; partitionKey?: string; shardId?: string; arrival?: number } = {}): KinesisStreamRecord {
  const shardId = options.shardId ?? 'shardId-000000000000';
  const sequenceNumber = options.sequenceNumber ?? '49590338271490256608559692538361571095921575989136588898';
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? 'Shadowfax',
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: (options.arrival ?? Date.UTC(2026, 10, 22, 10, 0, 1)) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/wildrydes-health',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/wildrydes',
  };
}

/** An event with one record per text, sequence numbers ascending from `firstSequence`. */
export function kinesisEvent(texts: readonly (string | Uint8Array)[], firstSequence = 1000n): KinesisStreamEvent {
  return {
    Records: texts.map((text, i) => kinesisRecord(text, { sequenceNumber: String(firstSequence + BigInt(i)), partitionKey: partitionKeyOf(text) })),
  };
}

export interface KinesisWindowEventOptions {
  /** The state the previous invocation of the window returned (absent at the window's start). */
  readonly state?: Record<string, unknown>;
  readonly isFinalInvokeForWindow?: boolean;
  readonly isWindowTerminatedEarly?: boolean;
  /** Window bounds, ISO 8601. Default: 2026-11-22 10:00–10:15 UTC (900 s). */
  readonly window?: { start: string; end: string };
  readonly firstSequence?: bigint;
  readonly shardId?: string;
}

/**
 * An event of a mapping with a tumbling window, as Lambda sends it: the records plus `window`, `state`, `shardId`,
 * `eventSourceARN` and the two end-of-window flags. The final invocation of a window usually carries no records.
 */
export function kinesisWindowEvent(texts: readonly (string | Uint8Array)[], options: KinesisWindowEventOptions = {}): KinesisStreamTumblingWindowEvent & { shardId: string; eventSourceARN: string } {
  const shardId = options.shardId ?? 'shardId-000000000000';
  const firstSequence = options.firstSequence ?? 1000n;
  return {
    Records: texts.map((text, i) => kinesisRecord(text, { sequenceNumber: String(firstSequence + BigInt(i)), partitionKey: partitionKeyOf(text), shardId })),
    window: options.window ?? { start: '2026-11-22T10:00:00Z', end: '2026-11-22T10:15:00Z' },
    ...(options.state === undefined ? {} : { state: options.state }),
    shardId,
    eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/wildrydes',
    isFinalInvokeForWindow: options.isFinalInvokeForWindow ?? false,
    isWindowTerminatedEarly: options.isWindowTerminatedEarly ?? false,
  };
}

function partitionKeyOf(text: string | Uint8Array): string {
  try {
    const name = (JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')) as { Name?: unknown }).Name;
    return typeof name === 'string' && name !== '' ? name : 'unknown';
  } catch {
    return 'unknown';
  }
}
