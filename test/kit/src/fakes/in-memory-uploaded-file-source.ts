import type { UploadedFile, UploadedFileSource } from '@wildrydes/domain';

/** What an object's body can be given as: text, bytes, or a factory of chunks generated lazily (big files). */
export type UploadedBody = string | Uint8Array | (() => AsyncIterable<Uint8Array>);

export class UploadedObjectNotFoundError extends Error {
  readonly code = 'UPLOADED_OBJECT_NOT_FOUND';
  constructor(bucket: string, key: string) {
    super(`no object s3://${bucket}/${key}`);
    this.name = 'UploadedObjectNotFoundError';
  }
}

/**
 * An UploadedFileSource over objects kept in memory, with the S3 source's rule (a `.gz` key is gzipped). Bodies
 * are handed out in chunks of `chunkBytes`, so tests cross chunk boundaries at will.
 */
export class InMemoryUploadedFileSource implements UploadedFileSource {
  private readonly objects = new Map<string, UploadedBody>();

  constructor(private readonly chunkBytes = 64 * 1024) {}

  put(bucket: string, key: string, body: UploadedBody): void {
    this.objects.set(`${bucket}/${key}`, body);
  }

  async open(bucket: string, key: string): Promise<UploadedFile> {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new UploadedObjectNotFoundError(bucket, key);
    const bytes = typeof body === 'function' ? body() : this.chunksOf(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    return { bytes, gzipped: key.endsWith('.gz') };
  }

  private async *chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    for (let i = 0; i < bytes.byteLength; i += this.chunkBytes) yield bytes.subarray(i, i + this.chunkBytes);
  }
}
