import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArchiveStore } from '@wildrydes/domain';
import { ArchiveObjectNotFoundError, assertNdjsonLines } from '@wildrydes/domain';
import { decodeNdjsonGzip, encodeNdjsonGzip } from './ndjson-gzip';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Gzip NDJSON objects in one bucket. A write is one PutObject, so writing a key again replaces the object
 * whole: a retried batch overwrites instead of duplicating.
 */
export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, lines: readonly string[]): Promise<void> {
    assertNdjsonLines(key, lines);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        // A Buffer, never a stream: streamed bodies go aws-chunked, which s3rver stores with the framing.
        Body: encodeNdjsonGzip(lines),
        ContentType: NDJSON_CONTENT_TYPE,
        ContentEncoding: 'gzip',
      }),
    );
  }

  async read(key: string): Promise<string[]> {
    let body: Uint8Array;
    try {
      const output = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      body = (await output.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw new ArchiveObjectNotFoundError(key, { cause: error });
      throw error;
    }
    return decodeNdjsonGzip(body);
  }

  /** Keys under the prefix in S3's order (UTF-8 binary), every page of ListObjectsV2. */
  async *list(prefix: string): AsyncGenerator<string, void, undefined> {
    let continuationToken: string | undefined;
    do {
      const output = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
        }),
      );
      for (const object of output.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key;
      }
      continuationToken = output.IsTruncated ? output.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }
}
