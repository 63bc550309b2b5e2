export { S3ArchiveStore, NDJSON_CONTENT_TYPE } from './s3-archive-store';
export { S3Quarantine } from './s3-quarantine';
export { quarantineObject, quarantineObjects, type QuarantineLine } from './quarantine-object';
export { assertNdjsonLines, decodeNdjsonGzip, encodeNdjsonGzip } from './ndjson-gzip';
export { ArchiveLineBreakError, ArchiveObjectNotFoundError } from './archive-store.errors';
