import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { UPLOADS_PREFIX } from '@wildrydes/ingestion';
import { defaultRegion, durationArgument, httpUrlArgument, parseCommandLine, UsageError, type CliOutput } from '@wildrydes/cli-support';

export interface UploadOptions {
  readonly file: string;
  /** The object key, always under `uploads/`. */
  readonly key: string;
  readonly bucket: string;
  readonly region: string;
  /** How long to wait for the import report; undefined with --no-wait. */
  readonly waitMs: number | undefined;
  readonly json: boolean;
  readonly local: boolean;
  readonly endpoint: string | undefined;
  readonly endpointsFile: string | undefined;
}

export type ParsedCommandLine = { readonly kind: 'run'; readonly options: UploadOptions } | { readonly kind: 'exit'; readonly code: number };

export const EXIT_CODES = { imported: 0, failed: 1, usage: 2, someLinesRejected: 3 } as const;

export function buildUploadCommand(): Command {
  return new Command('upload')
    .description(`Puts a telemetry file (NDJSON readings or minute summaries, optionally .gz) under uploads/ in the data bucket,
waits for the ingestion service's import report and prints it: readings sent, summaries written, lines rejected.`)
    .argument('<file>', 'the file to upload')
    .addOption(new Option('--key <name>', 'object name under uploads/ (default: the file name)'))
    .addOption(new Option('--bucket <bucket>', 'data bucket').default(RESOURCE_NAMES.dataBucket))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, else us-east-1)'))
    .addOption(new Option('--timeout <time>', 'how long to wait for the import report').argParser(durationArgument).default(120_000, '2m'))
    .addOption(new Option('--no-wait', 'upload and exit without waiting for the report'))
    .addOption(new Option('--json', 'print the whole import report as JSON').default(false))
    .addOption(new Option('--local', 'use the local stack (endpoints from .wildrydes/local.json)').default(false))
    .addOption(new Option('--endpoint <url>', 'S3 endpoint URL').argParser(httpUrlArgument).conflicts(['local', 'endpointsFile']))
    .addOption(new Option('--endpoints-file <path>', 'local endpoints file to use instead of .wildrydes/local.json').conflicts('local'))
    .addHelpText(
      'after',
      `
Without --local or --endpoint it uses AWS_ENDPOINT_URL_S3 when set (set -a; . .wildrydes/local.env; set +a), else AWS.

Exit codes: 0 every line imported; 3 imported, but some lines were rejected (listed, and kept in the quarantine);
1 nothing imported, the import failed, no report within --timeout, or the bucket cannot be reached; 2 bad flags.

Examples (from the repository root, while npm start runs):
  wildrydes-upload --local examples/upload-small.ndjson.gz
  wildrydes-upload --local examples/upload-with-bad-lines.ndjson      # exit 3, rejected lines listed
  wildrydes-upload --local --key 2026-11-22/fleet.ndjson readings.ndjson --json | jq .readingsSent`,
    );
}

export function parseUploadCommandLine(argv: readonly string[], io: CliOutput): ParsedCommandLine {
  const command = buildUploadCommand();
  const exitCode = parseCommandLine('upload', command, argv, io);
  if (exitCode !== undefined) return { kind: 'exit', code: exitCode };
  const raw = command.opts<{
    key?: string; bucket: string; region?: string; timeout: number; wait: boolean; json: boolean; local: boolean; endpoint?: string; endpointsFile?: string;
  }>();
  const file = command.args[0] as string;
  if (command.args.length > 1) throw new UsageError(`one file at a time (got ${command.args.length})`);
  const name = (raw.key ?? basename(file)).replace(/^\/+/, '');
  const key = name.startsWith(UPLOADS_PREFIX) ? name : `${UPLOADS_PREFIX}${name}`;
  if (key === UPLOADS_PREFIX || key.endsWith('/')) throw new UsageError(`--key ${raw.key}: name a file, not a folder`);
  return {
    kind: 'run',
    options: {
      file, key, bucket: raw.bucket, region: raw.region ?? defaultRegion(), waitMs: raw.wait ? raw.timeout : undefined, json: raw.json,
      local: raw.local, endpoint: raw.endpoint, endpointsFile: raw.endpointsFile,
    },
  };
}
