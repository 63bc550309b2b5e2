import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { UploadedObjectNotFoundError, type UploadedFile, type UploadedFileSource } from '@wildrydes/domain';

const NO_BYTES: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

/**
 * Opens an uploaded object with one GetObject and hands out its body as a Node stream: memory stays bounded
 * whatever the object's size, and the body is read only as fast as the caller takes it (back-pressure).
 * NoSuchKey becomes the port's UploadedObjectNotFoundError; every other failure is thrown as the SDK gave it.
 */
export class S3UploadedFileSource implements UploadedFileSource {
  constructor(private readonly s3: S3Client) {}

  async open(bucket: string, key: string): Promise<UploadedFile> {
    let output: GetObjectCommandOutput;
    try {
      output = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw new UploadedObjectNotFoundError(bucket, key, { cause: error });
      throw error;
    }
    const gzipped = key.endsWith('.gz') || output.ContentEncoding === 'gzip';
    const version = {
      ...(output.ETag === undefined ? {} : { eTag: output.ETag.replace(/"/g, '') }),
      ...(output.ContentLength === undefined ? {} : { size: output.ContentLength }),
    };
    const body = output.Body as unknown;
    if (body === undefined || body === null) return { bytes: NO_BYTES, gzipped, ...version };
    if (typeof (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] !== 'function') {
      throw new TypeError(`GetObject s3://${bucket}/${key}: the body is not a Node stream`);
    }
    return { bytes: body as AsyncIterable<Uint8Array>, gzipped, ...version };
  }
}
