import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultRegion, durationArgument, parseCommandLine, wholeNumberArgument, type CliOutput } from '@wildrydes/cli-support';
import { RESOURCE_NAMES } from '@wildrydes/domain';

/** The dashboard's own port when started by `npm run dashboard` (npm start serves it on 4573). */
export const DASHBOARD_CLI_DEFAULT_PORT = 4574;

export type DashboardTarget =
  | { readonly kind: 'local'; readonly endpointsFile: string | undefined }
  | {
    readonly kind: 'aws'; readonly region: string; readonly queueUrl: string | undefined;
    readonly workgroup: string; readonly database: string; readonly outputLocation: string | undefined;
  };

export interface DashboardOptions {
  readonly target: DashboardTarget;
  readonly port: number;
  readonly tileUrl: string | undefined;
  readonly healthPollMs: number;
}

export type ParsedDashboard = { readonly kind: 'run'; readonly options: DashboardOptions } | { readonly kind: 'exit'; readonly code: number };

const tileUrlArgument = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value.replaceAll(/[{}]/g, ''));
  } catch {
    throw new InvalidArgumentError('expected an http(s) URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png.');
  }
  if (!['http:', 'https:'].includes(url.protocol) || !['{z}', '{x}', '{y}'].every((part) => value.includes(part))) {
    throw new InvalidArgumentError('expected an http(s) URL template with {z}, {x} and {y}.');
  }
  return value;
};

export function buildDashboardCommand(): Command {
  return new Command('dashboard')
    .description('Serves the live fleet dashboard on 127.0.0.1: a map of every unicorn coloured by health, the alerts as they arrive, '
      + "each unicorn's minute summaries and, on request, its raw readings from the archive. It reads what the services write, "
      + 'with your own credentials; it writes nothing and has no public endpoint.')
    .addOption(new Option('--local', 'read the local stack (npm start or npm run local), found in .wildrydes/local.json').conflicts('aws'))
    .addOption(new Option('--endpoints-file <path>', 'the local stack described by this endpoints file').conflicts('aws'))
    .addOption(new Option('--aws', 'read the deployed stack with the default credential chain (profile, SSO, environment)'))
    .addOption(new Option('--region <name>', 'AWS region with --aws').default(defaultRegion()))
    .addOption(new Option('--queue-url <url>', 'with --aws: the SQS queue subscribed to unicorn-alert (stack output AlertQueueUrl; default WILDRYDES_ALERT_QUEUE_URL)'))
    .addOption(new Option('--workgroup <name>', 'with --aws: Athena workgroup for raw readings').default(RESOURCE_NAMES.athenaWorkgroup))
    .addOption(new Option('--database <name>', 'with --aws: Athena (Glue) database').default(RESOURCE_NAMES.athenaDatabase))
    .addOption(new Option('--output-location <s3url>', 'with --aws: Athena result location, unless the workgroup sets one'))
    .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0 = any free port)').argParser(wholeNumberArgument(0)).default(DASHBOARD_CLI_DEFAULT_PORT))
    .addOption(new Option('--tile-url <template>', 'optional map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: a plain grid, no internet needed)').argParser(tileUrlArgument))
    .addOption(new Option('--health-poll <time>', 'how often the health table is read').argParser(durationArgument).default(5000, '5s'))
    .addHelpText('after', `
What it reads (names as deployed):
  hot   table ${RESOURCE_NAMES.healthTable} (levels, every --health-poll) and stream ${RESOURCE_NAMES.telemetryStream} (positions, as a consumer)
  warm  table ${RESOURCE_NAMES.summaryTable} (a unicorn's minutes) and stream ${RESOURCE_NAMES.summaryStream} (minutes emitted)
  cold  table ${RESOURCE_NAMES.athenaTable} through Athena on AWS, DuckDB over the local archive
  alerts: unicorn-alert events on bus ${RESOURCE_NAMES.eventBus} — through the SQS alert queue on AWS; npm start's own dashboard
          subscribes with a rule on the local bus (with --local from another process there are none)

API (GET only): /api/unicorns, /api/unicorns/{name}, /api/unicorns/{name}/minutes?from&to (≤ 24 h, default the last hour),
/api/unicorns/{name}/readings?from&to (≤ 1 h, default the last 5 minutes), /api/alerts?kind&severity, /api/fleet,
/api/live (Server-Sent Events). Times: epoch ms or ISO 8601 (2026-11-22T10:15:00Z).

Examples:
  npm run dashboard -- --local
  npm run dashboard -- --aws --region eu-west-1 --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/wildrydes-alerts`);
}

export function parseDashboardCommandLine(argv: readonly string[], io: CliOutput, env: Readonly<Record<string, string | undefined>> = process.env): ParsedDashboard {
  const command = buildDashboardCommand();
  const exit = parseCommandLine('dashboard', command, argv, io);
  if (exit !== undefined) return { kind: 'exit', code: exit };
  const raw = command.opts<{
    local?: boolean; endpointsFile?: string; aws?: boolean; region: string; queueUrl?: string; workgroup: string; database: string;
    outputLocation?: string; port: number; tileUrl?: string; healthPoll: number;
  }>();
  if (raw.aws !== true && raw.local !== true && raw.endpointsFile === undefined) {
    io.writeErr('dashboard: say where to read: --local (the local stack) or --aws (the deployed stack)\n(run dashboard --help for usage)\n');
    return { kind: 'exit', code: 2 };
  }
  const target: DashboardTarget = raw.aws === true
    ? {
      kind: 'aws', region: raw.region, queueUrl: raw.queueUrl ?? env['WILDRYDES_ALERT_QUEUE_URL'], workgroup: raw.workgroup, database: raw.database,
      outputLocation: raw.outputLocation,
    }
    : { kind: 'local', endpointsFile: raw.endpointsFile };
  return { kind: 'run', options: { target, port: raw.port, tileUrl: raw.tileUrl, healthPollMs: raw.healthPoll } };
}
