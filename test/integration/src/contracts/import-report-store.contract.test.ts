import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import type { ImportReport } from '@wildrydes/domain';
import { S3ImportReportStore } from '@wildrydes/adapters/s3';
import { useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryImportReportStore } from '@wildrydes/test-kit';
import { describeImportReportStoreContract, type ImportReportStoreFactory } from '@wildrydes/test-kit';

let buckets = 0;

const local = useLocalRuntime();

const inMemory: ImportReportStoreFactory = async () => {
  const store = new InMemoryImportReportStore();
  return { store, read: async (key) => store.get(key) };
};

/** Reads the object back with a plain GetObject and JSON.parse, as someone looking in the bucket would. */
const s3OnLocalRuntime: ImportReportStoreFactory = async () => {
  const bucket = `reports-contract-${process.pid}-${++buckets}`;
  await local.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    store: new S3ImportReportStore(local.clients.s3, bucket),
    read: async (key) => {
      try {
        const output = await local.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse((await output.Body?.transformToString('utf-8')) ?? '') as ImportReport;
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
  };
};

describe.each([
  { implementation: 'InMemoryImportReportStore', factory: inMemory },
  { implementation: 'S3ImportReportStore on s3rver (local runtime)', factory: s3OnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeImportReportStoreContract(implementation, factory);
});
