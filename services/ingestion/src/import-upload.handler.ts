import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Event } from 'aws-lambda';
import type { ImportReport } from '@wildrydes/domain';
import { isUploadKey, type ImportTelemetryFile } from './import-telemetry-file.use-case';

export interface ImportUploadHandlerDependencies {
  readonly importTelemetryFile: ImportTelemetryFile;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface ImportUploadResult {
  readonly imported: readonly Omit<ImportReport, 'rejections' | 'rejectionsByCode'>[];
  readonly skipped: readonly string[];
}

/** S3 event keys are URL-encoded, with `+` for a space. */
export const decodeS3EventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The S3 `ObjectCreated` handler: imports each object put under `uploads/`, one after the other. Any failure
 * (the stream refusing entries, a table or the bucket unreachable) is thrown, so S3's asynchronous invocation
 * retries the event; importing an object again changes nothing downstream.
 */
export function createImportUploadHandler(deps: ImportUploadHandlerDependencies) {
  return async (event: S3Event): Promise<ImportUploadResult> => {
    const imported: ImportReport[] = [];
    const skipped: string[] = [];
    try {
      for (const record of event.Records) {
        const key = decodeS3EventKey(record.s3.object.key);
        const eventTime = Date.parse(record.eventTime);
        if (!record.eventName.startsWith('ObjectCreated:') || !isUploadKey(key) || Number.isNaN(eventTime)) {
          skipped.push(key);
          continue;
        }
        const report = await deps.importTelemetryFile.execute({ bucket: record.s3.bucket.name, key, eventTime });
        imported.push(report);
        deps.metrics.addMetric('LinesRead', MetricUnit.Count, report.linesRead);
        deps.metrics.addMetric('ReadingsSent', MetricUnit.Count, report.readingsSent);
        deps.metrics.addMetric('SummariesWritten', MetricUnit.Count, report.summariesWritten);
        deps.metrics.addMetric('LinesRejected', MetricUnit.Count, report.linesRejected);
        deps.logger.info(report.status === 'rejected' ? 'file refused whole' : 'file imported', { bucket: report.bucket, key, status: report.status, linesRead: report.linesRead, linesRejected: report.linesRejected, durationMs: report.durationMs });
      }
      if (skipped.length > 0) deps.logger.info('objects not imported (not an upload)', { keys: skipped });
      return { imported: imported.map(({ rejections: _r, rejectionsByCode: _c, ...rest }) => rest), skipped };
    } catch (error) {
      deps.logger.error('import failed; S3 will invoke again', error as Error);
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
