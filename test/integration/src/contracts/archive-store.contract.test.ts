import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { InMemoryArchiveStore } from '@wildrydes/test-kit';
import { useLocalRuntime } from '@wildrydes/local-aws/testing';
import { describeArchiveStoreContract, type ArchiveStoreFactory } from '@wildrydes/test-kit';

let buckets = 0;

const local = useLocalRuntime();

const s3OnLocalRuntime: ArchiveStoreFactory = async () => {
  const bucket = `archive-contract-${process.pid}-${++buckets}`;
  await local.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3ArchiveStore(local.clients.s3, bucket);
};

describe.each([
  { implementation: 'InMemoryArchiveStore', factory: async () => new InMemoryArchiveStore() },
  { implementation: 'S3ArchiveStore on s3rver (local runtime)', factory: s3OnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeArchiveStoreContract(implementation, factory);
});
