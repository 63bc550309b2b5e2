import type { RelayedS3Event } from './emulator-host.protocol';

interface S3rverRecord {
  readonly eventName?: string;
  readonly eventTime?: string;
  readonly s3?: { readonly bucket?: { readonly name?: string }; readonly object?: { readonly key?: string; readonly size?: number; readonly eTag?: string; readonly sequencer?: string } };
}

/** As S3 writes keys in notifications: URL-encoded, a space as `+`, slashes kept. */
export const encodeS3NotificationKey = (key: string): string => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/**
 * s3rver's event for an object, as the S3 notification AWS sends Lambda for a bucket notification configured on
 * ObjectCreated:* with these key prefixes: undefined for anything else. s3rver gives the key raw and a malformed
 * bucket ARN; S3 URL-encodes the key.
 */
export function toAwsS3Notification(event: unknown, prefixes: readonly string[]): RelayedS3Event | undefined {
  const records = (event as { Records?: readonly S3rverRecord[] } | undefined)?.Records ?? [];
  const matching = records.flatMap((record) => {
    const key = record.s3?.object?.key;
    const bucket = record.s3?.bucket?.name;
    if (key === undefined || bucket === undefined || !record.eventName?.startsWith('ObjectCreated:')) return [];
    if (!prefixes.some((prefix) => key.startsWith(prefix))) return [];
    return [{
      ...record,
      eventVersion: '2.1',
      s3: {
        ...record.s3,
        configurationId: 'wildrydes-uploads',
        bucket: { ...record.s3?.bucket, name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { ...record.s3?.object, key: encodeS3NotificationKey(key) },
      },
    }];
  });
  return matching.length === 0 ? undefined : { Records: matching };
}
