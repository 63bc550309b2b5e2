/**
 * `wildrydes-upload`: puts a telemetry file under `uploads/` in the data bucket — with a progress bar on a terminal —,
 * waits for the ingestion service's import report (`reports/…json`) and prints it.
 *
 *   wildrydes-upload --local examples/upload-small.ndjson.gz [--key NAME] [--timeout 2m] [--json] [--no-wait]
 *
 * Exit codes: 0 every line imported, 3 some lines rejected, 1 nothing imported / import failed / timeout / fatal, 2 bad flags.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ImportReport } from '@wildrydes/domain';
import { importReportKey } from '@wildrydes/ingestion';
import { describeFatalError, formatImportSummary, formatRejections, onStopSignals, readImportReport, resolveTarget, runMain, UsageError, type Target } from '@wildrydes/cli-support';
import { formatBytes, formatProgress } from './progress-bar';
import { EXIT_CODES, parseUploadCommandLine, type UploadOptions } from './upload-options';

const REPORT_POLL_MS = 500;

async function main(argv: readonly string[]): Promise<number> {
  let options: UploadOptions;
  try {
    const parsed = parseUploadCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    if (parsed.kind === 'exit') return parsed.code;
    options = parsed.options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`upload: ${error.message}\n(run upload --help for usage)\n`);
    return EXIT_CODES.usage;
  }
  let size: number;
  try {
    const file = await stat(options.file);
    if (!file.isFile()) throw new Error('not a file');
    size = file.size;
  } catch (error) {
    process.stderr.write(`upload: cannot read ${options.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return EXIT_CODES.usage;
  }

  let target: Target | undefined;
  const controller = new AbortController();
  const stopSignals = onStopSignals(controller);
  const tty = process.stderr.isTTY === true;
  const where = `s3://${options.bucket}/${options.key}`;
  try {
    target = await resolveTarget(options);
    const { s3 } = target.clients;
    const reportKey = importReportKey(options.key);
    // A report left by an earlier upload of the same key must not pass for this one's.
    await s3.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: reportKey }), { abortSignal: controller.signal });

    const progress = startProgress(size, tty, where);
    await s3.send(new PutObjectCommand({
      Bucket: options.bucket, Key: options.key, ContentLength: size,
      ContentType: options.key.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson',
      Body: createReadStream(options.file).pipe(progress.counter),
    }), { abortSignal: controller.signal });
    progress.done();
    if (options.waitMs === undefined) return EXIT_CODES.imported;

    const uploaded = await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: options.key }));
    const uploadedAt = Math.floor((uploaded.LastModified?.getTime() ?? 0) / 1000) * 1000;
    const report = await waitForReport(options, reportKey, uploadedAt, tty, controller.signal, (key) => readImportReport(s3, options.bucket, key));
    if (report === undefined) {
      if (controller.signal.aborted) return EXIT_CODES.failed;
      process.stderr.write(
        `upload: no import report at s3://${options.bucket}/${reportKey} within ${Math.round(options.waitMs / 1000)} s; ` +
          'is the ingestion service running (npm start locally, npx nx deploy ingestion on AWS)?\n',
      );
      return EXIT_CODES.failed;
    }
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${[formatImportSummary(report), ...formatRejections(report)].join('\n')}\n`);
    return exitCodeOf(report);
  } catch (error) {
    if (tty) process.stderr.write('\r\x1b[K');
    const endpoint = target?.endpoints?.s3 ?? options.endpoint ?? `https://s3.${options.region}.amazonaws.com`;
    process.stderr.write(`upload: ${describeFatalError(error, { service: 'S3', endpoint, resource: `bucket "${options.bucket}"` })}\n`);
    return EXIT_CODES.failed;
  } finally {
    stopSignals();
    target?.clients.destroy();
  }
}

export function exitCodeOf(report: ImportReport): number {
  if (report.status === 'failed' || report.status === 'rejected') return EXIT_CODES.failed;
  if (report.linesRejected === 0) return EXIT_CODES.imported;
  return report.readingsSent + report.summariesWritten === 0 ? EXIT_CODES.failed : EXIT_CODES.someLinesRejected;
}

/** Counts the bytes the SDK reads from the file: a bar redrawn in place on a terminal, one plain line otherwise. */
function startProgress(total: number, tty: boolean, where: string): { counter: Transform; done(): void } {
  let sent = 0;
  let drawnAt = 0;
  const draw = (): void => {
    process.stderr.write(`\rupload: ${formatProgress(sent, total)}\x1b[K`);
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      if (tty && Date.now() - drawnAt >= 100) {
        drawnAt = Date.now();
        draw();
      }
      callback(null, chunk);
    },
  });
  return {
    counter,
    done: () => {
      if (tty) {
        draw();
        process.stderr.write('\n');
      }
      process.stderr.write(`upload: ${formatBytes(total)} put to ${where}\n`);
    },
  };
}

async function waitForReport(
  options: UploadOptions, reportKey: string, uploadedAt: number, tty: boolean, signal: AbortSignal,
  read: (key: string) => Promise<ImportReport | undefined>,
): Promise<ImportReport | undefined> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  const started = Date.now();
  if (!tty) process.stderr.write(`upload: waiting for the import report (s3://${options.bucket}/${reportKey})\n`);
  try {
    while (!signal.aborted) {
      const report = await read(reportKey);
      // The report of this upload: an import started by the object's own event, not an older one's late write.
      if (report !== undefined && Date.parse(report.eventTime) >= uploadedAt) return report;
      if (Date.now() >= deadline) return undefined;
      if (tty) process.stderr.write(`\rupload: waiting for the import report… ${Math.round((Date.now() - started) / 1000)} s\x1b[K`);
      await new Promise((resolve) => setTimeout(resolve, REPORT_POLL_MS));
    }
    return undefined;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

runMain('upload', main);
