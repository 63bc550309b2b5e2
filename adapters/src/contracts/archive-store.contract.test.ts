import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe } from 'vitest';
import { S3ArchiveStore } from '../aws/s3/s3-archive-store';
import { createAwsClients, startLocalRuntime, type AwsClients, type LocalRuntime } from '../local/runtime/index';
import { InMemoryArchiveStore } from '../memory/in-memory-archive-store';
import { describeArchiveStoreContract, type ArchiveStoreFactory } from './archive-store.contract';

let runtime: LocalRuntime;
let clients: AwsClients;
let buckets = 0;

beforeAll(async () => {
  runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
  clients = createAwsClients(runtime.endpoints);
});

afterAll(async () => {
  clients?.destroy();
  await runtime?.stop();
});

const s3OnLocalRuntime: ArchiveStoreFactory = async () => {
  const bucket = `archive-contract-${process.pid}-${++buckets}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3ArchiveStore(clients.s3, bucket);
};

describe.each([
  { implementation: 'InMemoryArchiveStore', factory: async () => new InMemoryArchiveStore() },
  { implementation: 'S3ArchiveStore on s3rver (local runtime)', factory: s3OnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeArchiveStoreContract(implementation, factory);
});
