import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, putRecords, startKinesalite, type LocalKinesis } from './kinesalite.test-support';
import { KinesisApiError, rawGetRecords } from './raw-get-records';

let local: LocalKinesis;
let streams = 0;

beforeAll(async () => {
  local = await startKinesalite();
});

afterAll(async () => {
  await local?.close();
});

async function iteratorAtStart(streamName: string): Promise<string> {
  const out = await local.kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
  return out.ShardIterator ?? '';
}

describe('rawGetRecords', () => {
  it('reads what the SDK reads: sequence numbers, partition keys, bytes and arrival times, the data kept as base64 text', async () => {
    // Prepare: binary and multi-byte data, and an empty record.
    const streamName = `raw-reads-${++streams}`;
    await createStream(local.kinesis, streamName, 1);
    const payloads = [Buffer.from('{"Name":"Shadowfax"}'), Buffer.from([0, 255, 10, 13, 34, 92]), Buffer.from('Ünïcörn ✨'), Buffer.alloc(1, 0)];
    await putRecords(local.kinesis, streamName, payloads.map((data, i) => ({ partitionKey: `unicorn-${i}-é`, data })));
    const iterator = await iteratorAtStart(streamName);

    // Act
    const viaSdk = await local.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    const raw = await rawGetRecords(local.endpoint)(iterator, 100, new AbortController().signal);

    // Assess
    expect(raw.Records).toHaveLength(payloads.length);
    raw.Records.forEach((record, i) => {
      const expected = viaSdk.Records?.[i];
      expect(record.SequenceNumber).toBe(expected?.SequenceNumber);
      expect(record.PartitionKey).toBe(expected?.PartitionKey);
      expect(record.ApproximateArrivalTimestamp?.getTime()).toBe(expected?.ApproximateArrivalTimestamp?.getTime());
      expect(record.base64Data).toBe(payloads[i]?.toString('base64'));
      expect(Buffer.from(record.Data ?? new Uint8Array()).equals(payloads[i] ?? Buffer.alloc(0))).toBe(true);
    });
    expect(typeof raw.NextShardIterator).toBe('string');
    expect(raw.MillisBehindLatest).toBe(viaSdk.MillisBehindLatest);
  });

  it('honours the limit and continues from the next iterator', async () => {
    const streamName = `raw-reads-${++streams}`;
    await createStream(local.kinesis, streamName, 1);
    await putRecords(local.kinesis, streamName, Array.from({ length: 5 }, (_, i) => ({ partitionKey: 'k', data: `r${i}` })));
    const read = rawGetRecords(local.endpoint);
    const signal = new AbortController().signal;

    const first = await read(await iteratorAtStart(streamName), 3, signal);
    const second = await read(first.NextShardIterator ?? '', 10, signal);

    expect([...first.Records, ...second.Records].map((record) => Buffer.from(record.Data ?? new Uint8Array()).toString())).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('names an API error by its type, as the SDK names its exceptions (an expired iterator is retried by the reader)', async () => {
    const error = await rawGetRecords(local.endpoint)('not-an-iterator', 10, new AbortController().signal).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KinesisApiError);
    expect((error as KinesisApiError).name).toBe('InvalidArgumentException');
    expect((error as KinesisApiError).statusCode).toBe(400);
  });

  it('stops when its signal aborts', async () => {
    const streamName = `raw-reads-${++streams}`;
    await createStream(local.kinesis, streamName, 1);
    const controller = new AbortController();
    controller.abort();

    await expect(rawGetRecords(local.endpoint)(await iteratorAtStart(streamName), 10, controller.signal)).rejects.toThrow(/abort/i);
  });

  it('fails clearly when nothing listens at the endpoint', async () => {
    await expect(rawGetRecords('http://127.0.0.1:1')('iterator', 10, new AbortController().signal)).rejects.toThrow(/ECONNREFUSED/);
  });
});
