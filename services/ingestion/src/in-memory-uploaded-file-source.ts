import { gunzipChunks, splitLines } from './uploaded-file-lines';
import type { UploadedFileSource, UploadedLine } from './uploaded-file-source.port';

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
 * An UploadedFileSource over objects kept in memory, with the S3 source's rules (gunzip on `.gz`, the same line
 * splitter). Bodies are handed out in chunks of `chunkBytes`, so tests cross chunk boundaries at will.
 */
export class InMemoryUploadedFileSource implements UploadedFileSource {
  private readonly objects = new Map<string, UploadedBody>();

  constructor(private readonly chunkBytes = 64 * 1024) {}

  put(bucket: string, key: string, body: UploadedBody): void {
    this.objects.set(`${bucket}/${key}`, body);
  }

  async *openLines(bucket: string, key: string): AsyncGenerator<UploadedLine, void, undefined> {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new UploadedObjectNotFoundError(bucket, key);
    const chunks = typeof body === 'function' ? body() : this.chunksOf(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    yield* splitLines(key.endsWith('.gz') ? gunzipChunks(chunks) : chunks);
  }

  private async *chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    for (let i = 0; i < bytes.byteLength; i += this.chunkBytes) yield bytes.subarray(i, i + this.chunkBytes);
  }
}
