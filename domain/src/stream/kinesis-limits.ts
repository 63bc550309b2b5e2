import type { TelemetryRecord } from '../ports/telemetry-stream.port';

/** Kinesis Data Streams PutRecords limits (service quotas that cannot be raised). */
export const KINESIS_LIMITS = {
  recordsPerCall: 500,
  /** The whole request, partition keys included. */
  bytesPerCall: 5 * 1024 * 1024,
  /** One record: partition key (UTF-8) plus data. */
  bytesPerRecord: 1024 * 1024,
  /** Partition keys are 1 to 256 Unicode characters. */
  maxPartitionKeyLength: 256,
} as const;

/**
 * Codes a record is rejected with before it is sent. Sending it would fail the whole PutRecords call
 * (a ValidationException), taking its valid neighbours down with it.
 */
export const LOCAL_REJECTION_CODES = {
  recordTooLarge: 'RecordTooLarge',
  invalidPartitionKey: 'InvalidPartitionKey',
} as const;

/** Per-entry error codes worth retrying: throttling and transient service faults. Others are final. */
export const RETRYABLE_ENTRY_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'InternalFailure',
  'KMSThrottlingException',
]);

/** Whole-call errors worth retrying once the SDK's own retries are spent. */
export const RETRYABLE_CALL_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'KMSThrottlingException',
  'LimitExceededException',
  'InternalFailureException',
  'ThrottlingException',
]);

const utf8 = new TextEncoder();

/** What a record counts against the record and call limits. */
export const recordBytes = (record: TelemetryRecord): number =>
  utf8.encode(record.partitionKey).byteLength + record.data.byteLength;

/** Why a record can never be accepted, or undefined when it is fine to send. */
export function localRejection(record: TelemetryRecord): { errorCode: string; errorMessage: string } | undefined {
  const keyLength = [...record.partitionKey].length;
  if (keyLength < 1 || keyLength > KINESIS_LIMITS.maxPartitionKeyLength) {
    return {
      errorCode: LOCAL_REJECTION_CODES.invalidPartitionKey,
      errorMessage: `partition key must be 1 to ${KINESIS_LIMITS.maxPartitionKeyLength} characters, got ${keyLength}`,
    };
  }
  const bytes = recordBytes(record);
  if (bytes > KINESIS_LIMITS.bytesPerRecord) {
    return {
      errorCode: LOCAL_REJECTION_CODES.recordTooLarge,
      errorMessage: `record is ${bytes} bytes with its partition key; the limit is ${KINESIS_LIMITS.bytesPerRecord}`,
    };
  }
  return undefined;
}

/** Splits records, in order, into PutRecords calls within both the count and the byte limit. */
export function putRecordsBatches<T>(items: readonly T[], recordOf: (item: T) => TelemetryRecord): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = recordBytes(recordOf(item));
    if (current.length === KINESIS_LIMITS.recordsPerCall || (current.length > 0 && bytes + size > KINESIS_LIMITS.bytesPerCall)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
