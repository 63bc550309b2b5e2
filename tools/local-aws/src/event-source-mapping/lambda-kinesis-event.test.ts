import type { KinesisStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventBytes, onFailureRecord, retryFromIndex, stateOf, toDeliverableRecord, tumblingWindowEvent, windowOf, windowTime,
  type EventSourceIdentity,
} from './lambda-kinesis-event';

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
    const partitionKey = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('Bucephalus', 'a"b\\c', 'tab\tnew\nline', 'ünïcörn 🦄'));
    const arrival = fc.oneof(fc.constant(1_700_000_000_123), fc.integer({ min: 0, max: 4_102_444_800_000 }));
    fc.assert(fc.property(fc.array(fc.tuple(partitionKey, fc.uint8Array({ maxLength: 300 }), arrival), { minLength: 1, maxLength: 20 }),
      (inputs) => {
        const records = inputs.map(([key, data, arrivedAt], i) => toDeliverableRecord({
          SequenceNumber: `4900${i}`, PartitionKey: key || 'k', Data: data, ApproximateArrivalTimestamp: new Date(arrivedAt),
        }, 'shardId-000000000000', identity));
        const event: KinesisStreamEvent = { Records: records.map((record) => record.event) };
        const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
        expect(eventBytes(bytes, records.length)).toBe(Buffer.byteLength(JSON.stringify(event)));
      }));
  });

  it('turns the arrival time into seconds with the milliseconds as a fraction', () => {
    const record = toDeliverableRecord({ SequenceNumber: '1', PartitionKey: 'k', Data: new Uint8Array([1]), ApproximateArrivalTimestamp: new Date(1_700_000_000_123) }, 'shardId-000000000000', identity);
    expect(record.event.kinesis.approximateArrivalTimestamp).toBe(1_700_000_000.123);
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

describe('windowOf (tumbling windows)', () => {
  it.each([
    { arrival: Date.UTC(2020, 11, 9, 7, 5, 15) / 1000, size: 120, start: '2020-12-09T07:04:00Z', end: '2020-12-09T07:06:00Z' },
    { arrival: Date.UTC(2020, 6, 30, 17, 3, 0, 999) / 1000, size: 300, start: '2020-07-30T17:00:00Z', end: '2020-07-30T17:05:00Z' },
    { arrival: Date.UTC(2026, 0, 1, 0, 0, 1) / 1000, size: 1, start: '2026-01-01T00:00:01Z', end: '2026-01-01T00:00:02Z' },
    { arrival: 1_767_225_600.999, size: 1, start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:00:01Z' },
    { arrival: 1_767_225_601.001, size: 1, start: '2026-01-01T00:00:01Z', end: '2026-01-01T00:00:02Z' },
  ])('puts an arrival at $arrival s in the $size s window $start–$end (epoch-aligned, as AWS example events are)',
    ({ arrival, size, start, end }) => {
      const window = windowOf(arrival, size);

      expect([windowTime(window.startMs), windowTime(window.endMs)]).toEqual([start, end]);
    });

  it('holds every arrival in [start, end), size seconds long, start a multiple of the size', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 1, max: 900 }), (ms, size) => {
      const { startMs, endMs } = windowOf(ms / 1000, size);
      return startMs <= ms && ms < endMs && endMs - startMs === size * 1000 && startMs % (size * 1000) === 0;
    }));
  });
});

describe('stateOf (tumbling-window responses)', () => {
  it.each([
    { response: undefined, reads: 'no response' },
    { response: { batchItemFailures: [] }, reads: 'a response without state' },
    { response: { state: null }, reads: 'a null state' },
    { response: { state: 'done' }, reads: 'a state that is not an object' },
    { response: { state: [1, 2] }, reads: 'a list' },
  ])('reads $reads as a failed invocation', ({ response }) => {
    expect(stateOf(response)).toBeUndefined();
  });

  it('keeps the state as JSON (a copy), with its size in bytes', () => {
    const state = { 'unicorn-1': { distance: 1.5, at: new Date(Date.UTC(2026, 0, 1)) }, skipped: undefined };

    const returned = stateOf({ state, batchItemFailures: [] });
    state['unicorn-1'].distance = 99;

    expect(returned).toStrictEqual({
      state: { 'unicorn-1': { distance: 1.5, at: '2026-01-01T00:00:00.000Z' } },
      bytes: Buffer.byteLength('{"unicorn-1":{"distance":1.5,"at":"2026-01-01T00:00:00.000Z"}}'),
    });
  });
});

describe('tumblingWindowEvent', () => {
  it('builds the KinesisTimeWindowEvent shape of the AWS docs, with a copy of the state', () => {
    const record = toDeliverableRecord({
      SequenceNumber: '49590338271490256608559692538361571095921575989136588898', PartitionKey: '1',
      Data: Buffer.from('Hello, this is a test.'), ApproximateArrivalTimestamp: new Date(1_607_497_475_000),
    }, 'shardId-000000000006', identity);
    const state = { 1: 282, 2: 715 };

    const event = tumblingWindowEvent({
      records: [record], window: windowOf(1_607_497_475, 120), state, shardId: 'shardId-000000000006', identity,
      isFinalInvokeForWindow: false, isWindowTerminatedEarly: false,
    });
    event.state[1] = 0;

    expect(event).toStrictEqual({
      Records: [record.event],
      window: { start: '2020-12-09T07:04:00Z', end: '2020-12-09T07:06:00Z' },
      state: { 1: 0, 2: 715 },
      shardId: 'shardId-000000000006',
      eventSourceARN: identity.streamArn,
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
    expect(state).toStrictEqual({ 1: 282, 2: 715 });
  });
});
