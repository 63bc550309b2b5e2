import { createHash } from 'node:crypto';
import { UploadedObjectNotFoundError, type UploadedFile, type UploadedFileSource } from '@wildrydes/domain';

/** What an object's body can be given as: text, bytes, or a factory of chunks generated lazily (big files). */
export type UploadedBody = string | Uint8Array | (() => AsyncIterable<Uint8Array>);

/** Object metadata the source reads, as PutObject would set it. */
export interface UploadedObjectOptions {
  readonly contentEncoding?: string | undefined;
}

interface UploadedObject {
  readonly body: UploadedBody;
  readonly contentEncoding: string | undefined;
}

/**
 * An UploadedFileSource over objects kept in memory, with the S3 source's rules: a `.gz` key or
 * `Content-Encoding: gzip` is gzipped, and a missing object is UploadedObjectNotFoundError. Bodies are handed out
 * in chunks of `chunkBytes`, so tests cross chunk boundaries at will.
 */
export class InMemoryUploadedFileSource implements UploadedFileSource {
  private readonly objects = new Map<string, UploadedObject>();
  /** How many times an object was opened (an import of a gzip file reads it twice: to check it, then to send it). */
  opened = 0;

  constructor(private readonly chunkBytes = 64 * 1024) {}

  put(bucket: string, key: string, body: UploadedBody, options: UploadedObjectOptions = {}): void {
    this.objects.set(`${bucket}/${key}`, { body, contentEncoding: options.contentEncoding });
  }

  async open(bucket: string, key: string): Promise<UploadedFile> {
    const object = this.objects.get(`${bucket}/${key}`);
    if (object === undefined) throw new UploadedObjectNotFoundError(bucket, key);
    const { body, contentEncoding } = object;
    this.opened++;
    const whole = typeof body === 'function' ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const bytes = whole === undefined ? (body as () => AsyncIterable<Uint8Array>)() : this.chunksOf(whole);
    // As S3 does for a single-part upload: the ETag is the MD5 of the bytes (a generated body: of nothing, fixed).
    const eTag = createHash('md5').update(whole ?? new Uint8Array()).digest('hex');
    return { bytes, gzipped: key.endsWith('.gz') || contentEncoding === 'gzip', eTag, ...(whole === undefined ? {} : { size: whole.byteLength }) };
  }

  private async *chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    for (let i = 0; i < bytes.byteLength; i += this.chunkBytes) yield bytes.subarray(i, i + this.chunkBytes);
  }
}
