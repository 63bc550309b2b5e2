import { CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { describe } from 'vitest';
import { KinesisShardActivity } from '@wildrydes/adapters/kinesis';
import { eventually, useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryShardActivity, describeShardActivityContract, type ShardActivityFactory } from '@wildrydes/test-kit';

let streams = 0;

const local = useLocalRuntime();

const inMemory: ShardActivityFactory = async () => {
  const shardIds = ['shardId-000000000000', 'shardId-000000000001'] as const;
  const activity = new InMemoryShardActivity(shardIds);
  let clock = Date.now();
  return { activity, shardIds, put: async (shardId) => { clock += 7; activity.arrive(shardId, clock); return clock; } };
};

/** A fresh two-shard kinesalite stream; a record is aimed at a shard by its starting hash key. */
const kinesisOnLocalRuntime: ShardActivityFactory = async () => {
  const kinesis = local.clients.kinesis;
  const StreamName = `activity-contract-${process.pid}-${++streams}`;
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
  await eventually(async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', { what: `stream ${StreamName} active` });
  const shards = (await kinesis.send(new ListShardsCommand({ StreamName }))).Shards ?? [];
  const hashKeyOf = new Map(shards.map((s) => [s.ShardId!, s.HashKeyRange!.StartingHashKey!]));
  const [first, second] = shards.map((s) => s.ShardId!);
  return {
    activity: new KinesisShardActivity(kinesis, { streamName: StreamName }),
    shardIds: [first!, second!],
    put: async (shardId) => {
      const { SequenceNumber } = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', ExplicitHashKey: hashKeyOf.get(shardId), Data: new TextEncoder().encode('{}') }));
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: SequenceNumber }));
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
      return Records![0]!.ApproximateArrivalTimestamp!.getTime();
    },
  };
};

describe.each([
  { implementation: 'InMemoryShardActivity', factory: inMemory },
  { implementation: 'KinesisShardActivity on kinesalite (local runtime)', factory: kinesisOnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeShardActivityContract(implementation, factory);
});
