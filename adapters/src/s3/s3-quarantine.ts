import type { S3Client } from '@aws-sdk/client-s3';
import type { QuarantinedRecord, Quarantine } from '@wildrydes/domain';
import { quarantineObjects } from '@wildrydes/domain';
import { S3ArchiveStore } from './s3-archive-store';

/** PutObjects in flight per keep(); s3rver peaks near 16, S3 takes far more. */
const WRITES_IN_FLIGHT = 8;

/** Keeps refused records as gzip NDJSON objects under `rejected/` in the data bucket, one object per record. */
export class S3Quarantine implements Quarantine {
  private readonly store: S3ArchiveStore;

  constructor(s3: S3Client, bucket: string) {
    this.store = new S3ArchiveStore(s3, bucket);
  }

  async keep(records: readonly QuarantinedRecord[]): Promise<void> {
    const objects = [...quarantineObjects(records)];
    let next = 0;
    const errors: unknown[] = [];
    const worker = async (): Promise<void> => {
      while (next < objects.length && errors.length === 0) {
        const [key, lines] = objects[next++] as [string, readonly object[]];
        try {
          await this.store.write(key, lines.map((line) => JSON.stringify(line)));
        } catch (error) {
          errors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, objects.length) }, worker));
    // Nothing is dropped silently: the caller fails the batch and its retry rewrites the same keys.
    if (errors.length > 0) throw errors[0];
  }
}
