import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { formatImportSummary, readImportReport } from '@wildrydes/cli-support';
import type { ImportReport } from '@wildrydes/domain';

const REPORTS_PREFIX = 'reports/';

/**
 * Follows the import reports the ingestion service writes under `reports/`, however the uploads reached it: each
 * new or rewritten report is handed to `onReport` once. Reports already there when it starts are not repeated.
 */
export function followImportReports(
  s3: S3Client, bucket: string,
  options: { intervalMs: number; onReport: (report: ImportReport) => void; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  const seen = new Map<string, string>();
  let first = true;
  let stopped = false;
  const scan = async (): Promise<void> => {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: REPORTS_PREFIX, ...(ContinuationToken ? { ContinuationToken } : {}) }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || seen.get(object.Key) === object.ETag) continue;
        seen.set(object.Key, object.ETag ?? '');
        if (first) continue;
        const report = await readImportReport(s3, bucket, object.Key);
        if (report !== undefined) options.onReport(report);
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
    first = false;
  };
  let running = scan().catch(options.onError);
  const timer = setInterval(() => {
    if (!stopped) running = running.then(scan).catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** The line `npm start` prints for an imported file. */
export const formatImportLine = (report: ImportReport): string => `IMPORT ${formatImportSummary(report)}`;
