import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gunzipChunks, splitLines } from './uploaded-file-lines';
import type { UploadedFileSource, UploadedLine } from './uploaded-file-source.port';

/**
 * Reads an uploaded object with one GetObject, consuming its body as a Node stream: memory stays bounded
 * whatever the object's size, and the body is read only as fast as lines are taken (back-pressure).
 */
export class S3UploadedFileSource implements UploadedFileSource {
  constructor(private readonly s3: S3Client) {}

  async *openLines(bucket: string, key: string): AsyncGenerator<UploadedLine, void, undefined> {
    const output = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = output.Body as unknown;
    if (body === undefined || body === null) return;
    if (typeof (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] !== 'function') {
      throw new TypeError(`GetObject s3://${bucket}/${key}: the body is not a Node stream`);
    }
    const bytes = body as AsyncIterable<Uint8Array>;
    const gzipped = key.endsWith('.gz') || output.ContentEncoding === 'gzip';
    yield* splitLines(gzipped ? gunzipChunks(bytes) : bytes);
  }
}
