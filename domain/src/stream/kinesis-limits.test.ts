import { describe, expect, it } from 'vitest';
import { KINESIS_LIMITS, LOCAL_REJECTION_CODES, localRejection, putRecordsBatches, recordBytes } from './kinesis-limits';

const recordOf = (partitionKey: string, bytes: number) => ({ partitionKey, data: new Uint8Array(bytes) });

describe('Kinesis limits', () => {
  it('counts the partition key (UTF-8) with the data', () => {
    expect(recordBytes(recordOf('Ñandú', 10))).toBe(10 + 7);
  });

  it.each([
    ['an empty partition key', recordOf('', 1), LOCAL_REJECTION_CODES.invalidPartitionKey],
    ['a partition key of 257 characters', recordOf('x'.repeat(257), 1), LOCAL_REJECTION_CODES.invalidPartitionKey],
    ['a record over 1 MiB with its key', recordOf('k', KINESIS_LIMITS.bytesPerRecord), LOCAL_REJECTION_CODES.recordTooLarge],
    ['a fine record', recordOf('Shadowfax', 200), undefined],
  ])('%s → %s', (_what, record, code) => {
    expect(localRejection(record)?.errorCode).toBe(code);
  });

  it('splits records in order into calls within the count and byte limits', () => {
    // Prepare
    const small = Array.from({ length: 1_001 }, (_, i) => recordOf(`u${i}`, 10));
    const big = Array.from({ length: 6 }, (_, i) => recordOf(`b${i}`, KINESIS_LIMITS.bytesPerRecord - 10));

    // Act
    const byCount = putRecordsBatches(small, (r) => r);
    const byBytes = putRecordsBatches(big, (r) => r);

    // Assess
    expect(byCount.map((batch) => batch.length)).toEqual([500, 500, 1]);
    expect(byCount.flat()).toEqual(small);
    expect(byBytes.map((batch) => batch.length)).toEqual([5, 1]);
  });
});
