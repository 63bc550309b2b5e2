import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { QuarantineLine } from '@wildrydes/domain';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { S3Quarantine } from '@wildrydes/adapters/s3';
import { InMemoryQuarantine } from '@wildrydes/test-kit';
import { useLocalRuntime } from '@wildrydes/local-aws/testing';
import { aQuarantinedRecord, describeQuarantineContract, type QuarantineFactory } from '@wildrydes/test-kit';

let buckets = 0;

const local = useLocalRuntime();

async function freshBucket(): Promise<string> {
  const bucket = `quarantine-contract-${process.pid}-${++buckets}`;
  await local.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

const inMemory: QuarantineFactory = async () => {
  const quarantine = new InMemoryQuarantine();
  return { quarantine, objects: async () => quarantine.objects() };
};

/** Reads the bucket back through S3ArchiveStore: whatever is in it, not only what the adapter meant to write. */
const s3OnLocalRuntime: QuarantineFactory = async () => {
  const bucket = await freshBucket();
  const store = new S3ArchiveStore(local.clients.s3, bucket);
  return {
    quarantine: new S3Quarantine(local.clients.s3, bucket),
    objects: async () => {
      const objects = new Map<string, QuarantineLine[]>();
      for await (const key of store.list('')) {
        objects.set(key, (await store.read(key)).map((line) => JSON.parse(line) as QuarantineLine));
      }
      return objects;
    },
  };
};

describe.each([
  { implementation: 'InMemoryQuarantine', factory: inMemory },
  { implementation: 'S3Quarantine on s3rver (local runtime)', factory: s3OnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeQuarantineContract(implementation, factory);
});

describe('S3Quarantine on s3rver: the stored object', () => {
  it('is gzip NDJSON, as the archive and the query engines expect', async () => {
    // Prepare
    const bucket = await freshBucket();
    const record = aQuarantinedRecord(5);

    // Act
    await new S3Quarantine(local.clients.s3, bucket).keep([record]);

    // Assess
    const head = await local.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'rejected/dt=2025-03-14/hour=09/shardId-000000000001~3A49605.json.gz' }));
    expect({ type: head.ContentType, encoding: head.ContentEncoding }).toEqual({ type: 'application/x-ndjson', encoding: 'gzip' });
  });
});
