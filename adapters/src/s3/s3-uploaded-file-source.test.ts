import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { UploadedObjectNotFoundError, type UploadedFile } from '@wildrydes/domain';
import { S3UploadedFileSource } from './s3-uploaded-file-source';

const s3 = mockClient(S3Client);

/** A body as the SDK gives it in Node: a Readable, here of the given chunks. */
const streamOf = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk, 'utf8'))) as unknown as GetObjectCommandOutput['Body'];

async function chunksOf(file: UploadedFile): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of file.bytes) chunks.push(Buffer.from(chunk).toString('utf8'));
  return chunks;
}

describe('S3UploadedFileSource', () => {
  let source: S3UploadedFileSource;

  beforeEach(() => {
    s3.reset();
    source = new S3UploadedFileSource(new S3Client({}));
  });

  it('sends one GetObject for the bucket and key, and hands out the body chunk by chunk', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({ Body: streamOf('{"Name":"Shadowfax"}\n', '{"Name":"Ünicörn 🦄"}\n') });

    // Act
    const file = await source.open('wildrydes-data', 'uploads/fleet day 2.ndjson');

    // Assess
    expect(s3).toHaveReceivedCommandExactlyOnceWith(GetObjectCommand, { Bucket: 'wildrydes-data', Key: 'uploads/fleet day 2.ndjson' });
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'wildrydes-data', Key: 'uploads/fleet day 2.ndjson' });
    expect(file.gzipped).toBe(false);
    await expect(chunksOf(file)).resolves.toEqual(['{"Name":"Shadowfax"}\n', '{"Name":"Ünicörn 🦄"}\n']);
  });

  it.each([
    { key: 'uploads/fleet.ndjson.gz', ContentEncoding: undefined, gzipped: true },
    { key: 'uploads/fleet.ndjson', ContentEncoding: 'gzip', gzipped: true },
    { key: 'uploads/fleet.ndjson', ContentEncoding: 'identity', gzipped: false },
    { key: 'uploads/fleet.gz.ndjson', ContentEncoding: undefined, gzipped: false },
  ])('says gzipped $gzipped for $key with ContentEncoding $ContentEncoding', async ({ key, ContentEncoding, gzipped }) => {
    // Prepare
    s3.on(GetObjectCommand).resolves({ Body: streamOf('x'), ...(ContentEncoding === undefined ? {} : { ContentEncoding }) });

    // Act
    const file = await source.open('wildrydes-data', key);

    // Assess
    expect(file.gzipped).toBe(gzipped);
  });

  it('gives no bytes when the output has no body', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({});

    // Act
    const file = await source.open('wildrydes-data', 'uploads/empty.json');

    // Assess
    await expect(chunksOf(file)).resolves.toEqual([]);
  });

  it('refuses a body that is not a Node stream (a browser build of the SDK)', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({ Body: new Blob(['x']) as unknown as GetObjectCommandOutput['Body'] });

    // Act
    const opening = source.open('wildrydes-data', 'uploads/fleet.json');

    // Assess
    await expect(opening).rejects.toThrow('GetObject s3://wildrydes-data/uploads/fleet.json: the body is not a Node stream');
  });

  it('turns NoSuchKey into UploadedObjectNotFoundError, keeping the SDK error as its cause', async () => {
    // Prepare
    const noSuchKey = new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    s3.on(GetObjectCommand).rejects(noSuchKey);

    // Act
    const opening = source.open('wildrydes-data', 'uploads/gone.json');

    // Assess
    await expect(opening).rejects.toBeInstanceOf(UploadedObjectNotFoundError);
    await expect(opening).rejects.toMatchObject({ code: 'UPLOADED_OBJECT_NOT_FOUND', bucket: 'wildrydes-data', key: 'uploads/gone.json', cause: noSuchKey });
  });

  it('throws any other failure as the SDK gave it, so the import is retried', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    // Act
    const opening = source.open('wildrydes-data', 'uploads/fleet.json');

    // Assess
    await expect(opening).rejects.toMatchObject({ name: 'AccessDenied', message: 'Access Denied' });
  });
});
