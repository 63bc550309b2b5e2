import { Command, Option } from 'commander';
import { RESOURCE_NAMES, WORKSHOP_QUERIES, type WorkshopQueryName } from '@wildrydes/domain';
import { environmentEndpoint } from '@wildrydes/adapters/clients';
import { parseCommandLine, durationArgument, httpUrlArgument, stagedOptionValue, stageOption, UsageError } from '@wildrydes/cli-support';
import type { OutputFormat } from './result-format';

export type EngineChoice =
  | {
      readonly kind: 'local';
      readonly endpointsFile: string | undefined;
      /** Chosen because `AWS_ENDPOINT_URL_S3` names a local server (no --local): the local stack must serve it. */
      readonly s3EndpointFromEnvironment?: string;
    }
  | { readonly kind: 'archive-dir'; readonly dir: string; readonly layout: 'plain' | 's3rver' }
  | {
      readonly kind: 'athena';
      readonly workgroup: string;
      readonly database: string;
      readonly outputLocation: string | undefined;
      readonly region: string | undefined;
      /** An Athena-compatible endpoint instead of AWS's. */
      readonly endpoint: string | undefined;
      readonly timeoutMs: number;
    };

export interface QueryOptions {
  /** Ad-hoc SQL, or a named query's parameters. */
  readonly query: { readonly sql: string } | { readonly named: WorkshopQueryName; readonly params: NamedParams };
  readonly engine: EngineChoice;
  readonly format: OutputFormat;
}

export interface NamedParams {
  readonly after?: string;
  readonly name?: string;
  readonly dt?: { readonly from?: string; readonly to?: string };
}

export type ParsedCommandLine = { readonly kind: 'run'; readonly options: QueryOptions } | { readonly kind: 'exit'; readonly code: number };



export function buildQueryCommand(): Command {
  const named = Object.values(WORKSHOP_QUERIES).map((q) => `  ${q.name.padEnd(15)}${q.description}`).join('\n');
  return new Command('query')
    .description('Runs SQL on the raw archive (table wildrydes, and unicorn_alerts): DuckDB locally, Athena on AWS.')
    .argument('[sql]', 'the SQL to run')
    .addOption(new Option('--named <query>', 'run one of the workshop queries instead').choices(Object.keys(WORKSHOP_QUERIES)))
    .addOption(new Option('--after <timestamp>', "for --named after: 'YYYY-MM-DD HH:MM:SS' (UTC) or ISO 8601"))
    .addOption(new Option('--name <unicorn>', 'for --named trip: the unicorn'))
    .addOption(new Option('--from-date <YYYY-MM-DD>', 'for --named: first dt partition to read'))
    .addOption(new Option('--to-date <YYYY-MM-DD>', 'for --named: last dt partition to read'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .addOption(new Option('--local', 'DuckDB over the local stack\'s data bucket (from .wildrydes/local.json)').default(false))
    .addOption(new Option('--endpoints-file <path>', 'local endpoints file to use instead of .wildrydes/local.json').conflicts('local'))
    .addOption(new Option('--archive-dir <dir>', 'DuckDB over a copy of the bucket (raw/dt=…/hour=…/*.json.gz)').conflicts(['local', 'endpointsFile']))
    .addOption(new Option('--layout <layout>', 'how --archive-dir stores objects: plain (aws s3 sync) or s3rver').choices(['plain', 's3rver']).default('plain'))
    .addOption(new Option('--workgroup <name>', 'Athena workgroup').default(RESOURCE_NAMES.athenaWorkgroup))
    .addOption(new Option('--database <name>', 'Athena (Glue) database').default(RESOURCE_NAMES.athenaDatabase))
    .addOption(new Option('--output-location <s3url>', 'Athena result location, unless the workgroup sets one'))
    .addOption(new Option('--region <region>', 'AWS region for Athena (default: the SDK\'s)'))
    .addOption(new Option('--endpoint <url>', 'Athena endpoint URL (default: AWS\'s)').argParser(httpUrlArgument).conflicts(['local', 'endpointsFile', 'archiveDir']))
    .addOption(new Option('--timeout <time>', 'Athena: stop the query after this long').argParser(durationArgument).default(300_000, '5m'))
    .addOption(stageOption(['local', 'endpointsFile', 'archiveDir']))
    .addHelpText(
      'after',
      `
Named queries (the workshop's):
${named}

Examples:
  query --local "SELECT name, COUNT(*) AS readings FROM wildrydes GROUP BY name"
  query --local --named total-distance
  query --local --named trip --name Shadowfax --format csv > trip.csv
  query --local --named after --after '2026-11-22 10:00:00' --format json
  query --archive-dir ./wildrydes-data --named low-vitals
  query --named total-distance --from-date 2026-11-01      # Athena, workgroup/database wildrydes`,
    );
}

export function parseQueryCommandLine(argv: readonly string[], io: { writeOut(s: string): void; writeErr(s: string): void }): ParsedCommandLine {
  const command = buildQueryCommand();
  const exitCode = parseCommandLine('query', command, argv, io);
  if (exitCode !== undefined) return { kind: 'exit', code: exitCode };
  const raw = command.opts<{
    named?: WorkshopQueryName; after?: string; name?: string; fromDate?: string; toDate?: string; format: OutputFormat; local: boolean;
    endpointsFile?: string; archiveDir?: string; layout: 'plain' | 's3rver'; workgroup: string; database: string; outputLocation?: string;
    region?: string; endpoint?: string; timeout: number;
  }>();
  const sql = command.args[0];
  if (command.args.length > 1) throw new UsageError('give the SQL as one argument (quote it)');
  if ((sql === undefined) === (raw.named === undefined)) throw new UsageError('give either SQL or --named <query>, not both or neither');
  if (raw.named !== undefined) {
    if (raw.named === 'after' && raw.after === undefined) throw new UsageError('--named after needs --after <timestamp>');
    if (raw.named === 'trip' && raw.name === undefined) throw new UsageError('--named trip needs --name <unicorn>');
  } else if (raw.after !== undefined || raw.name !== undefined || raw.fromDate !== undefined || raw.toDate !== undefined) {
    throw new UsageError('--after, --name, --from-date and --to-date are parameters of --named queries');
  }
  if (sql !== undefined && sql.trim() === '') throw new UsageError('the SQL is empty');

  // `set -a; . .wildrydes/local.env; set +a` points S3 at the local stack: its archive is then the one to query.
  const localS3 = environmentEndpoint('s3');
  const localByEnvironment = raw.endpoint === undefined && environmentEndpoint('athena') === undefined && localS3?.startsWith('http://') === true;
  const engine: EngineChoice =
    raw.archiveDir !== undefined
      ? { kind: 'archive-dir', dir: raw.archiveDir, layout: raw.layout }
      : raw.local || raw.endpointsFile !== undefined
        ? { kind: 'local', endpointsFile: raw.endpointsFile }
        : localByEnvironment
          ? { kind: 'local', endpointsFile: undefined, s3EndpointFromEnvironment: localS3 }
          : {
            kind: 'athena',
            workgroup: stagedOptionValue(command, 'workgroup', ['athenaWorkgroup']),
            database: stagedOptionValue(command, 'database', ['athenaDatabase']),
            outputLocation: raw.outputLocation,
            region: raw.region,
            endpoint: raw.endpoint,
            timeoutMs: raw.timeout,
            };
  const dt = raw.fromDate === undefined && raw.toDate === undefined ? undefined : { ...(raw.fromDate === undefined ? {} : { from: raw.fromDate }), ...(raw.toDate === undefined ? {} : { to: raw.toDate }) };
  return {
    kind: 'run',
    options: {
      query:
        raw.named !== undefined
          ? {
              named: raw.named,
              params: { ...(raw.after === undefined ? {} : { after: raw.after }), ...(raw.name === undefined ? {} : { name: raw.name }), ...(dt === undefined ? {} : { dt }) },
            }
          : { sql: sql as string },
      engine,
      format: raw.format,
    },
  };
}

export { UsageError };
