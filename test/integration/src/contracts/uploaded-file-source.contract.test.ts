import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { S3UploadedFileSource } from '@wildrydes/adapters/s3';
import { useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryUploadedFileSource } from '@wildrydes/test-kit';
import { describeUploadedFileSourceContract, type UploadedFileSourceFactory } from '@wildrydes/test-kit';

let buckets = 0;

const local = useLocalRuntime();

const inMemory: UploadedFileSourceFactory = async () => {
  const source = new InMemoryUploadedFileSource();
  const bucket = 'wildrydes-data';
  return { source, bucket, upload: async (key, bytes, options) => source.put(bucket, key, bytes, options) };
};

/** Objects put with PutObject, as an uploader (the console, `aws s3 cp`) would. */
const s3OnLocalRuntime: UploadedFileSourceFactory = async () => {
  const bucket = `uploads-contract-${process.pid}-${++buckets}`;
  await local.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    source: new S3UploadedFileSource(local.clients.s3),
    bucket,
    upload: async (key, bytes, options) => {
      await local.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentEncoding: options?.contentEncoding }));
    },
  };
};

describe.each([
  { implementation: 'InMemoryUploadedFileSource', factory: inMemory },
  { implementation: 'S3UploadedFileSource on s3rver (local runtime)', factory: s3OnLocalRuntime },
])('$implementation', ({ implementation, factory }) => {
  describeUploadedFileSourceContract(implementation, factory);
});
