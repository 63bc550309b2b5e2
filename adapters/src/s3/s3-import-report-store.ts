import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportReport } from '@wildrydes/domain';
import type { ImportReportStore } from '@wildrydes/domain';

/**
 * Import reports as plain, indented JSON objects (one PutObject each), readable in the console or with `aws s3 cp`.
 * S3 reads are strongly consistent, so a report loaded is the last one saved: it serves as the import's marker.
 */
export class S3ImportReportStore implements ImportReportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async save(key: string, report: ImportReport): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8'),
      ContentType: 'application/json',
    }));
  }

  async load(key: string): Promise<ImportReport | undefined> {
    try {
      const output = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = await output.Body?.transformToString('utf8');
      return text === undefined ? undefined : (JSON.parse(text) as ImportReport);
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
