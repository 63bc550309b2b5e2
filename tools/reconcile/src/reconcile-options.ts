import { Command, Option, InvalidArgumentError } from 'commander';
import type { PublishedAlert } from './count-sources';
import { durationArgument, parseCommandLine, UsageError, type CliOutput } from '@wildrydes/cli-support';
import { parseStatusTime, RESOURCE_NAMES } from '@wildrydes/domain';

export type Target =
  | { readonly kind: 'local'; readonly endpointsFile: string | undefined }
  | {
      readonly kind: 'aws'; readonly region: string | undefined; readonly workgroup: string; readonly database: string;
      readonly outputLocation: string | undefined; readonly timeoutMs: number;
    };

export interface ReconcileOptions {
  readonly target: Target;
  readonly from: number;
  readonly to: number;
  readonly publishedAlerts: string | undefined;
  readonly format: 'text' | 'json';
}

export type Parsed = { readonly kind: 'run'; readonly options: ReconcileOptions } | { readonly kind: 'exit'; readonly code: number };

const timeArgument = (value: string): number => {
  const iso = Date.parse(value);
  const time = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) ? iso : parseStatusTime(value.length === 16 ? `${value}:00` : value);
  if (!Number.isFinite(time)) throw new InvalidArgumentError("expected ISO 8601 with a zone (2026-12-02T10:00Z) or 'YYYY-MM-DD HH:MM[:SS]' (UTC).");
  return time;
};

export function buildReconcileCommand(): Command {
  return new Command('reconcile')
    .description(`Counts in = counts out for a time range: readings received on the stream against those archived, quarantined
and summarised, minutes emitted, alerts published and archived. Exits 1 naming the lines that do not reconcile.`)
    .addOption(new Option('--local', 'the local stack (endpoints from .wildrydes/local.json)').default(false))
    .addOption(new Option('--endpoints-file <path>', 'local endpoints file to use instead of .wildrydes/local.json'))
    .addOption(new Option('--aws', 'the deployed stack (default credentials; Athena for the archive)').default(false).conflicts(['local', 'endpointsFile']))
    .addOption(new Option('--from <time>', 'start of the range (default: 24 h ago, the stream\'s retention)').argParser(timeArgument))
    .addOption(new Option('--to <time>', 'end of the range, exclusive (default: now)').argParser(timeArgument))
    .addOption(new Option('--published-alerts <file>', 'alerts a subscriber saw published: one JSON alert (or event) or id per line'))
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .addOption(new Option('--region <region>', 'AWS region (--aws)'))
    .addOption(new Option('--workgroup <name>', 'Athena workgroup (--aws)').default(RESOURCE_NAMES.athenaWorkgroup))
    .addOption(new Option('--database <name>', 'Athena database (--aws)').default(RESOURCE_NAMES.athenaDatabase))
    .addOption(new Option('--output-location <s3url>', 'Athena result location, unless the workgroup sets one (--aws)'))
    .addOption(new Option('--timeout <time>', 'Athena: stop a query after this long').argParser(durationArgument).default(300_000, '5m'))
    .addHelpText('after', `
The range is widened to whole minutes. Readings and minutes are placed by their own time, refused records by
their arrival. Run it once the stream is drained (npm start's status line idle): minutes still open are not
counted as missing, but readings not yet processed are.

Exit codes: 0 reconciled, 1 not reconciled (the lines marked !!), 2 bad flags, 3 a count could not be read.

Examples:
  reconcile --local
  reconcile --local --from 2026-12-02T10:00Z --to 2026-12-02T11:00Z --published-alerts alerts.ndjson
  reconcile --aws --region eu-west-1 --from '2026-12-02 10:00' --format json`);
}

export function parseReconcileCommandLine(argv: readonly string[], io: CliOutput, now: number): Parsed {
  const command = buildReconcileCommand();
  const exit = parseCommandLine('reconcile', command, argv, io);
  if (exit !== undefined) return { kind: 'exit', code: exit };
  const raw = command.opts<{
    local: boolean; endpointsFile?: string; aws: boolean; from?: number; to?: number; publishedAlerts?: string; format: 'text' | 'json';
    region?: string; workgroup: string; database: string; outputLocation?: string; timeout: number;
  }>();
  if (!raw.aws && !raw.local && raw.endpointsFile === undefined) throw new UsageError('say where: --local (or --endpoints-file F) or --aws');
  const to = raw.to ?? now;
  const from = raw.from ?? to - 24 * 3_600_000;
  if (from >= to) throw new UsageError('--from must be before --to');
  const target: Target = raw.aws
    ? { kind: 'aws', region: raw.region, workgroup: raw.workgroup, database: raw.database, outputLocation: raw.outputLocation, timeoutMs: raw.timeout }
    : { kind: 'local', endpointsFile: raw.endpointsFile };
  return { kind: 'run', options: { target, from, to, publishedAlerts: raw.publishedAlerts, format: raw.format } };
}

/** Alerts from a subscriber's record: JSON alerts or EventBridge events (detail.alertId), or bare ids, one a line. */
export function parsePublishedAlerts(text: string): PublishedAlert[] {
  const alerts: PublishedAlert[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('{')) {
      alerts.push({ alertId: line, readingTime: undefined });
      continue;
    }
    let value: { alertId?: unknown; readingTime?: unknown; detail?: { alertId?: unknown; readingTime?: unknown } };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw new UsageError(`--published-alerts line ${index + 1} is not JSON`);
    }
    const id = value.alertId ?? value.detail?.alertId;
    if (typeof id !== 'string') throw new UsageError(`--published-alerts line ${index + 1} has no alertId`);
    const time = value.readingTime ?? value.detail?.readingTime;
    const readingTime = typeof time === 'string' ? parseStatusTime(time) : NaN;
    alerts.push({ alertId: id, readingTime: Number.isNaN(readingTime) ? undefined : readingTime });
  }
  return alerts;
}

export { UsageError };
