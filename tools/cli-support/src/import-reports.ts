import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ImportReport } from '@wildrydes/domain';
import { findNetworkCode } from './fatal-error';

/**
 * The ingestion service's import report for an uploaded file (`reports/…json` in the data bucket), or undefined
 * while there is none or the import is still under way (`in-progress`: the durable progress the import keeps so a
 * retry resumes). A report that is not one (bad JSON, missing counts) is an error, not "not yet".
 */
export async function readImportReport(s3: S3Client, bucket: string, key: string, tornReadRetries = 3): Promise<ImportReport | undefined> {
  let parsed: unknown;
  for (let attempt = 0; ; attempt++) {
    let object;
    try {
      object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw error;
    }
    // The local S3 stand-in rewrites an object in place (S3's PUT is atomic), so a read can catch the report the
    // import is rewriting: its JSON cut short, or its body ending before the length announced with the old
    // version, which the client sees as the connection reset mid-body. Either way, read again.
    const torn = (reason: string, cause?: unknown): Error | undefined =>
      attempt >= tornReadRetries ? new Error(`s3://${bucket}/${key} is not an import report (${reason})`, { cause }) : undefined;
    let text: string;
    try {
      text = (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (findNetworkCode(error) === undefined) throw error;
      const gaveUp = torn(`its body was cut short: ${(error as Error).message}`, error);
      if (gaveUp !== undefined) throw gaveUp;
      await pause(100);
      continue;
    }
    try {
      parsed = JSON.parse(text);
      break;
    } catch {
      const gaveUp = torn('not JSON');
      if (gaveUp !== undefined) throw gaveUp;
      await pause(100);
    }
  }
  const report = parsed as Partial<ImportReport>;
  const counts = ['linesRead', 'readingsSent', 'summariesWritten', 'linesRejected'] as const;
  const statuses: readonly unknown[] = ['imported', 'rejected', 'in-progress', 'failed'];
  if (typeof report.key !== 'string' || !statuses.includes(report.status) || counts.some((count) => typeof report[count] !== 'number')) {
    throw new Error(`s3://${bucket}/${key} is not an import report (missing key, status or counts)`);
  }
  return report.status === 'in-progress' ? undefined : (parsed as ImportReport);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One line: what the import of one file did, e.g. `uploads/a.ndjson: 8 readings sent, 1 summary written, 2 lines rejected (lines 3, 7)`. */
export function formatImportSummary(report: ImportReport): string {
  const lines = report.rejections.map((rejection) => rejection.line);
  const more = report.linesRejected > lines.length ? ', …' : '';
  const rejected = report.linesRejected === 0 ? 'no line rejected' : `${plural(report.linesRejected, 'line')} rejected (${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${more})`;
  if (report.status === 'rejected') return `${report.key}: REJECTED, nothing sent: ${report.fileRejection?.code ?? 'unusable file'} — ${report.fileRejection?.reason ?? 'the file as a whole could not be read'} (its bytes are in the quarantine)`;
  const failed = report.status === 'failed' ? `; FAILED: the stream refused ${report.streamEntriesRefused} entries (S3 retries the import)` : '';
  return `${report.key}: ${plural(report.readingsSent, 'reading')} sent, ${plural(report.summariesWritten, 'summary', 'summaries')} written, ${rejected}${failed}`;
}

/** The rejected lines the report lists, one per line: `  line 3: INVALID_JSON — Unexpected token … | this line is not JSON`. */
export function formatRejections(report: ImportReport): string[] {
  const listed = report.rejections.map((rejection) => `  line ${rejection.line}: ${rejection.code} — ${rejection.reason}  | ${rejection.raw}`);
  const unlisted = report.linesRejected - report.rejections.length;
  return [
    ...listed,
    ...(unlisted > 0 ? [`  … and ${unlisted} more (every rejected line is kept in ${report.quarantineObjects.join(', ')})`] : []),
  ];
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
