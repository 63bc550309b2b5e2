import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { describe } from 'vitest';
import { KinesisStreamHistory, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { eventually, useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryStreamHistory, describeStreamHistoryContract, type StreamHistoryFactory } from '@wildrydes/test-kit';

const local = useLocalRuntime();
let streams = 0;

const inMemory: StreamHistoryFactory = async () => {
  const history = new InMemoryStreamHistory();
  return { history, put: async (records) => history.append(records) };
};

/** A fresh 2-shard kinesalite stream, written with the producer's adapter. */
const kinesisOnLocalRuntime: StreamHistoryFactory = async () => {
  const streamName = `history-${process.pid}-${++streams}`;
  await local.clients.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
  await eventually(async () => {
    const out = await local.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, { what: `stream ${streamName} active` });
  const stream = new KinesisTelemetryStream(local.clients.kinesis, streamName);
  return {
    history: new KinesisStreamHistory(local.clients.kinesis, streamName),
    put: async (records) => {
      const outcome = await stream.put(records);
      if (outcome.rejected.length > 0) throw new Error(`${outcome.rejected.length} records refused`);
    },
  };
};

describe.each([
  { implementation: 'InMemoryStreamHistory', harness: inMemory },
  { implementation: 'KinesisStreamHistory on the local runtime (kinesalite)', harness: kinesisOnLocalRuntime },
])('$implementation', ({ implementation, harness }) => {
  describeStreamHistoryContract(implementation, harness);
});
