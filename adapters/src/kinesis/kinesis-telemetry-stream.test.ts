import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import type { TelemetryRecord } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackoffEnvironment } from '../sdk/capped-backoff';
import { KINESIS_LIMITS } from '@wildrydes/domain';
import { KinesisTelemetryStream } from './kinesis-telemetry-stream';

const kinesis = mockClient(KinesisClient);
const utf8 = new TextEncoder();

const aRecord = (partitionKey: string, i: number): TelemetryRecord => ({ partitionKey, data: utf8.encode(`{"i":${i}}`) });
const sized = (partitionKey: string, bytes: number): TelemetryRecord => ({
  partitionKey,
  data: new Uint8Array(bytes - utf8.encode(partitionKey).byteLength).fill(1),
});
const entry = (record: TelemetryRecord) => ({ PartitionKey: record.partitionKey, Data: record.data });
const ok = { SequenceNumber: '49600000000000000000000000000000000000000000000000000001', ShardId: 'shardId-000000000000' };
const failed = (code: string) => ({ ErrorCode: code, ErrorMessage: `${code} happened` });
const throwing = (name: string): Error => Object.assign(new Error(`${name} happened`), { name });

/** Answers every entry with success. */
const acceptAll = (input: PutRecordsCommandInput) => ({ FailedRecordCount: 0, Records: (input.Records ?? []).map(() => ok) });

function noWait(): BackoffEnvironment & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 };
}

const putCalls = () => kinesis.commandCalls(PutRecordsCommand).map((call) => call.args[0].input);

describe('KinesisTelemetryStream', () => {
  let environment: ReturnType<typeof noWait>;
  let stream: KinesisTelemetryStream;

  beforeEach(() => {
    kinesis.reset();
    environment = noWait();
    stream = new KinesisTelemetryStream(new KinesisClient({}), 'wildrydes', { environment });
  });

  it('sends nothing for an empty list', async () => {
    // Act
    const outcome = await stream.put([]);

    // Assess
    expect(outcome).toEqual({ accepted: 0, rejected: [], throttled: 0 });
    expect(kinesis).not.toHaveReceivedAnyCommand();
  });

  it('splits 1,200 records into PutRecords calls of 500, 500 and 200, in order, by stream name', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    const records = Array.from({ length: 1_200 }, (_, i) => aRecord(`Unicorn-${i % 3}`, i));

    // Act
    const outcome = await stream.put(records);

    // Assess
    expect(outcome).toEqual({ accepted: 1_200, rejected: [], throttled: 0 });
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 3);
    expect(putCalls()).toEqual([
      { StreamName: 'wildrydes', Records: records.slice(0, 500).map(entry) },
      { StreamName: 'wildrydes', Records: records.slice(500, 1_000).map(entry) },
      { StreamName: 'wildrydes', Records: records.slice(1_000).map(entry) },
    ]);
  });

  it('fills a call to exactly 5 MiB (partition keys counted) and starts the next one for a record that does not fit', async () => {
    // Prepare: 5 × 1,000,000 + 242,880 bytes is 5 MiB to the byte; the 2-byte record after it does not fit.
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    const records = [
      ...Array.from({ length: 5 }, (_, i) => sized(`Big-${i}`, 1_000_000)),
      sized('Filler', KINESIS_LIMITS.bytesPerCall - 5_000_000),
      sized('Z', 2),
    ];

    // Act
    const outcome = await stream.put(records);

    // Assess
    expect(outcome.accepted).toBe(7);
    // By identity: comparing megabytes element by element would make this the slowest test by far.
    const sent = putCalls().map((input) => ({
      StreamName: input.StreamName,
      Records: input.Records?.map((r) => [r.PartitionKey, records.findIndex((record) => record.data === r.Data)]),
    }));
    expect(sent).toEqual([
      { StreamName: 'wildrydes', Records: records.slice(0, 6).map((record, i) => [record.partitionKey, i]) },
      { StreamName: 'wildrydes', Records: [['Z', 6]] },
    ]);
  });

  it('sends at most five records of exactly 1 MiB per call', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    const records = Array.from({ length: 11 }, (_, i) => sized(`Max-${i}`, KINESIS_LIMITS.bytesPerRecord));

    // Act
    await stream.put(records);

    // Assess
    expect(putCalls().map((input) => input.Records?.length)).toEqual([5, 5, 1]);
  });

  it('rejects a record over 1 MiB with its partition key without sending it', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).callsFake(acceptAll);
    const fits = sized('Fits', KINESIS_LIMITS.bytesPerRecord);
    const tooBig = sized('TooBig', KINESIS_LIMITS.bytesPerRecord + 1);

    // Act
    const outcome = await stream.put([fits, tooBig]);

    // Assess
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected).toEqual([{ record: tooBig, errorCode: 'RecordTooLarge', errorMessage: expect.any(String) }]);
    expect(kinesis).toHaveReceivedCommandExactlyOnceWith(PutRecordsCommand, { StreamName: 'wildrydes', Records: [entry(fits)] });
  });

  it('retries only the throttled and internally failed entries, and returns other entry errors at once', async () => {
    // Prepare
    const records = Array.from({ length: 6 }, (_, i) => aRecord('Shadowfax', i));
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 4,
        Records: [ok, failed('ProvisionedThroughputExceededException'), ok, failed('InternalFailure'), failed('KMSAccessDeniedException'), failed('KMSThrottlingException')],
      })
      .resolvesOnce({ FailedRecordCount: 0, Records: [ok, ok, ok] });

    // Act
    const outcome = await stream.put(records);

    // Assess
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 2);
    expect(kinesis).toHaveReceivedNthCommandWith(PutRecordsCommand, 2, {
      StreamName: 'wildrydes',
      Records: [entry(records[1]!), entry(records[3]!), entry(records[5]!)],
    });
    expect(outcome).toEqual({
      accepted: 5,
      rejected: [{ record: records[4], errorCode: 'KMSAccessDeniedException', errorMessage: 'KMSAccessDeniedException happened' }],
      throttled: 3,
    });
    expect(environment.sleeps).toHaveLength(1);
  });

  it('gives up after the retry budget and reports the last error of each entry', async () => {
    // Prepare
    const records = [aRecord('Epona', 1), aRecord('Epona', 2)];
    kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: 1,
      Records: (input.Records ?? []).map((r) => (new TextDecoder().decode(r.Data) === '{"i":2}' ? failed('ProvisionedThroughputExceededException') : ok)),
    }));
    stream = new KinesisTelemetryStream(new KinesisClient({}), 'wildrydes', {
      environment,
      backoff: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    });

    // Act
    const outcome = await stream.put(records);

    // Assess
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 4);
    expect(outcome).toEqual({
      accepted: 1,
      rejected: [{ record: records[1], errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'ProvisionedThroughputExceededException happened' }],
      throttled: 3,
    });
    // Full jitter with random() = 0.5: half of 100, 200, 400 ms.
    expect(environment.sleeps).toEqual([50, 100, 200]);
  });

  it('retries a whole call that was throttled', async () => {
    // Prepare
    const records = [aRecord('Binky', 1), aRecord('Binky', 2)];
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(throwing('ProvisionedThroughputExceededException'))
      .resolvesOnce({ FailedRecordCount: 0, Records: [ok, ok] });

    // Act
    const outcome = await stream.put(records);

    // Assess
    expect(outcome).toEqual({ accepted: 2, rejected: [], throttled: 2 });
    expect(kinesis).toHaveReceivedNthCommandWith(PutRecordsCommand, 2, { StreamName: 'wildrydes', Records: records.map(entry) });
  });

  it('throws a call error that retrying cannot fix', async () => {
    // Prepare
    kinesis.on(PutRecordsCommand).rejects(throwing('ResourceNotFoundException'));

    // Act
    const putting = stream.put([aRecord('Silver', 1)]);

    // Assess
    await expect(putting).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 1);
  });
});
