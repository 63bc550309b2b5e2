/**
 * The uploaded object is not there (S3's NoSuchKey): deleted or overwritten-and-deleted between the event and
 * the import. Every UploadedFileSource raises this one error, so the ingestion service can tell it from an outage.
 */
export class UploadedObjectNotFoundError extends Error {
  readonly code = 'UPLOADED_OBJECT_NOT_FOUND';
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no object s3://${bucket}/${key}`, options);
    this.name = 'UploadedObjectNotFoundError';
  }
}
