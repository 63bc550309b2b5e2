/** An uploaded object's bytes, streamed, and whether they are gzipped (a `.gz` key or `Content-Encoding: gzip`). */
export interface UploadedFile {
  readonly bytes: AsyncIterable<Uint8Array>;
  readonly gzipped: boolean;
  /** The version read (the object's ETag without quotes), when the source knows it. */
  readonly eTag?: string;
  /** The object's size in bytes, when the source knows it. */
  readonly size?: number;
}

/** Opens uploaded objects for reading; a file of any size is streamed, never held whole in memory. */
export interface UploadedFileSource {
  /** Rejects with UploadedObjectNotFoundError when there is no such object. */
  open(bucket: string, key: string): Promise<UploadedFile>;
}
