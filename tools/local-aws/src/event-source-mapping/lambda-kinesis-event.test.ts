import type { KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventBytes, onFailureRecord, retryFromIndex, toDeliverableRecord, type EventSourceIdentity } from './lambda-kinesis-event';

const identity: EventSourceIdentity = {
  streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/unicorn-telemetry',
  awsRegion: 'us-east-1',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:track-health',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/track-health-role',
};
const batch = ['49001', '49002', '49003', '49004'];

describe('retryFromIndex (ReportBatchItemFailures)', () => {
  it.each([
    { response: undefined, expected: undefined, reads: 'no response as success' },
    { response: null, expected: undefined, reads: 'a null response as success' },
    { response: 'done', expected: undefined, reads: 'a response without a list as success' },
    { response: {}, expected: undefined, reads: 'a missing list as success' },
    { response: { batchItemFailures: null }, expected: undefined, reads: 'a null list as success' },
    { response: { batchItemFailures: [] }, expected: undefined, reads: 'an empty list as success' },
    { response: { batchItemFailures: [{ itemIdentifier: '49003' }] }, expected: 2, reads: 'one failure as its index' },
    {
      response: { batchItemFailures: [{ itemIdentifier: '49004' }, { itemIdentifier: '49002' }] },
      expected: 1, reads: 'several failures as the lowest',
    },
    { response: { batchItemFailures: [{ itemIdentifier: '' }] }, expected: 0, reads: 'an empty identifier as a whole-batch failure' },
    { response: { batchItemFailures: [{ itemIdentifier: null }] }, expected: 0, reads: 'a null identifier as a whole-batch failure' },
    { response: { batchItemFailures: [{ id: '49002' }] }, expected: 0, reads: 'a wrong key as a whole-batch failure' },
    {
      response: { batchItemFailures: [{ itemIdentifier: '49003' }, { itemIdentifier: '50000' }] },
      expected: 0, reads: 'an identifier not in the batch as a whole-batch failure',
    },
    { response: { batchItemFailures: [null] }, expected: 0, reads: 'a null item as a whole-batch failure' },
    { response: { batchItemFailures: '49002' }, expected: 0, reads: 'a list that is not a list as a whole-batch failure' },
  ])('reads $reads', ({ response, expected }) => {
    expect(retryFromIndex(response, batch)).toBe(expected);
  });

  it('always points at the lowest reported record', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1 }), (failed) => {
      const response = { batchItemFailures: failed.map((index) => ({ itemIdentifier: batch[index] })) };
      expect(retryFromIndex(response, batch)).toBe(Math.min(...failed));
    }));
  });
});

describe('toDeliverableRecord', () => {
  it('knows the bytes each record adds to the invocation payload', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.string(), fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 20 }),
      (inputs) => {
        const records = inputs.map(([partitionKey, data], i) => toDeliverableRecord({
          SequenceNumber: `4900${i}`, PartitionKey: partitionKey || 'k', Data: data, ApproximateArrivalTimestamp: new Date(1_700_000_000_123),
        }, 'shardId-000000000000', identity));
        const event: KinesisStreamEvent = { Records: records.map((record) => record.event) };
        const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
        expect(eventBytes(bytes, records.length)).toBe(Buffer.byteLength(JSON.stringify(event)));
        expect(records[0]?.event.kinesis.approximateArrivalTimestamp).toBe(1_700_000_000.123);
      }));
  });
});

describe('onFailureRecord', () => {
  it('describes the discarded range like a Lambda on-failure destination record', () => {
    const records = ['49001', '49002'].map((sequenceNumber, i) => toDeliverableRecord({
      SequenceNumber: sequenceNumber, PartitionKey: 'unicorn-1', Data: new Uint8Array([1]),
      ApproximateArrivalTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    }, 'shardId-000000000003', identity));

    const failure = onFailureRecord({
      records, shardId: 'shardId-000000000003', identity, condition: 'RecordAgeExceeded', invokeCount: 0,
      functionError: false, now: Date.UTC(2026, 0, 1, 0, 5),
    });

    expect(failure).toEqual({
      requestContext: {
        requestId: expect.any(String), functionArn: identity.functionArn, condition: 'RecordAgeExceeded', approximateInvokeCount: 0,
      },
      version: '1.0',
      timestamp: '2026-01-01T00:05:00.000Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000003',
        startSequenceNumber: '49001',
        endSequenceNumber: '49002',
        approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z',
        approximateArrivalOfLastRecord: '2026-01-01T00:00:01.000Z',
        batchSize: 2,
        streamArn: identity.streamArn,
      },
    });
  });
});
