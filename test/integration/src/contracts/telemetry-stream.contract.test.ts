import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { TelemetryRecord } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { KinesisStreamReader } from '@wildrydes/adapters/kinesis';
import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { eventually, useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryTelemetryStream, type PutFailureMode } from '@wildrydes/test-kit';
import { aReadingRecord, describeTelemetryStreamContract, type TelemetryStreamFactory } from '@wildrydes/test-kit';

const NO_WAIT = { sleep: async () => undefined, random: () => 0.5 };

let streams = 0;

const local = useLocalRuntime();

function groupByKey(records: readonly { partitionKey: string; data: Uint8Array }[]): Map<string, Uint8Array[]> {
  const byKey = new Map<string, Uint8Array[]>();
  for (const record of records) byKey.set(record.partitionKey, [...(byKey.get(record.partitionKey) ?? []), record.data]);
  return byKey;
}

const inMemory: TelemetryStreamFactory = async () => {
  const stream = new InMemoryTelemetryStream();
  return { stream, readBack: async () => groupByKey(stream.records()) };
};

/** A fresh 2-shard kinesalite stream, read back from TRIM_HORIZON with KinesisStreamReader. */
const kinesisOnLocalRuntime: TelemetryStreamFactory = async () => {
  const streamName = `contract-${process.pid}-${++streams}`;
  await local.clients.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
  await eventually(async () => {
    const out = await local.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, { what: `stream ${streamName} active` });
  return {
    stream: new KinesisTelemetryStream(local.clients.kinesis, streamName, { environment: NO_WAIT }),
    readBack: async (count) => {
      const reader = new KinesisStreamReader(local.clients.kinesis, streamName);
      const abort = new AbortController();
      const deadline = setTimeout(() => abort.abort(), 20_000);
      const read: { partitionKey: string; data: Uint8Array }[] = [];
      try {
        for await (const record of reader.read({ from: 'TRIM_HORIZON', pollIntervalMs: 25, signal: abort.signal })) {
          read.push(record);
          if (read.length >= count) break;
        }
      } finally {
        clearTimeout(deadline);
        abort.abort();
      }
      if (read.length < count) throw new Error(`read ${read.length} of ${count} records from ${streamName} within 20 s`);
      return groupByKey(read);
    },
  };
};

describe.each([
  { implementation: 'InMemoryTelemetryStream', factory: inMemory },
  { implementation: 'KinesisTelemetryStream on kinesalite (local runtime)', factory: kinesisOnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeTelemetryStreamContract(implementation, factory);
});

/**
 * kinesalite never throttles, so the retry rules are compared with the same injected failures: the fake's
 * failure mode on one side, a mocked KinesisClient answering the same per-entry errors on the other.
 */
describe('injected entry failures: the fake follows the adapter', () => {
  const failures: PutFailureMode = (record, attempt) => {
    const seq = (JSON.parse(new TextDecoder().decode(record.data)) as { Seq: number }).Seq;
    if (record.partitionKey === 'Poison') return { errorCode: 'KMSAccessDeniedException', errorMessage: 'denied' };
    if (seq % 3 === 0 && attempt === 0) return { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' };
    if (seq % 7 === 0 && attempt < 2) return { errorCode: 'InternalFailure', errorMessage: 'oops' };
    if (seq === 50) return { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'never' };
    return undefined;
  };
  const records: TelemetryRecord[] = [
    ...Array.from({ length: 600 }, (_, i) => aReadingRecord(`Unicorn-${i % 5}`, i)),
    aReadingRecord('Poison', 1_000),
  ];

  function mockedKinesis(): KinesisClient {
    const client = new KinesisClient({});
    const attempts = new Map<string, number>();
    mockClient(client).on(PutRecordsCommand).callsFake((input: { Records: { PartitionKey: string; Data: Uint8Array }[] }) => {
      const entries = input.Records.map((entry) => {
        const id = new TextDecoder().decode(entry.Data);
        const attempt = attempts.get(id) ?? 0;
        attempts.set(id, attempt + 1);
        const failure = failures({ partitionKey: entry.PartitionKey, data: entry.Data }, attempt);
        return failure ? { ErrorCode: failure.errorCode, ErrorMessage: failure.errorMessage } : { SequenceNumber: '1', ShardId: 'shardId-0' };
      });
      return { Records: entries, FailedRecordCount: entries.filter((entry) => 'ErrorCode' in entry).length };
    });
    return client;
  }

  it('gives the same outcome', async () => {
    // Prepare
    const fake = new InMemoryTelemetryStream({ failureMode: failures, maxRetries: 3 });
    const adapter = new KinesisTelemetryStream(mockedKinesis(), 'wildrydes', {
      backoff: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1 },
      environment: NO_WAIT,
    });

    // Act
    const [fromFake, fromAdapter] = [await fake.put(records), await adapter.put(records)];

    // Assess
    expect(fromFake).toEqual(fromAdapter);
    expect(fromAdapter.accepted).toBe(599);
    expect(fromAdapter.rejected.map((r) => r.errorCode)).toEqual(['ProvisionedThroughputExceededException', 'KMSAccessDeniedException']);
    expect(fromAdapter.throttled).toBeGreaterThan(200);
  });
});
