export { S3ArchiveStore, NDJSON_CONTENT_TYPE } from './s3-archive-store';
export { S3Quarantine } from './s3-quarantine';
export { S3ImportReportStore } from './s3-import-report-store';
export { S3UploadedFileSource } from './s3-uploaded-file-source';
export { decodeNdjsonGzip, encodeNdjsonGzip } from './ndjson-gzip';
export { createS3Client } from './s3-client';
