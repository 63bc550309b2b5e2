import { Command, Option } from 'commander';
import { durationArgument, parseCommandLine, wholeNumberArgument, type CliOutput } from '@wildrydes/cli-support';
import { LOCAL_DEFAULT_PORTS, LOCAL_PORT_ENV_VARS } from '@wildrydes/local-aws';

export interface StartOptions {
  /** Unicorns in the demo fleet; 0 runs the services for outside producers only. */
  readonly unicorns: number;
  readonly seed: number;
  readonly durationMs: number | undefined;
  readonly dataDir: string | undefined;
  /** Shards of the `wildrydes` stream when it is created. */
  readonly shards: number;
  /** The dashboard's port (0 = any free port); undefined with --no-dashboard. */
  readonly dashboardPort: number | undefined;
  /** Reload a service's handlers when its sources (or the shared code) change. */
  readonly watch: boolean;
  /** The deployed batching windows (up to 20 s) instead of at most 1 s: invocations and S3 objects as on AWS. */
  readonly deployedWindows: boolean;
}

export interface LocalOptions {
  readonly dataDir: string | undefined;
  readonly portBase: number | undefined;
}

export type Parsed<T> = { readonly kind: 'run'; readonly options: T } | { readonly kind: 'exit'; readonly code: number };

const TRY_IT = `From another terminal (in the repository root), while it runs:
  npx wildrydes-producer --local
  npx wildrydes-consumer --local --compact | jq .Name
  npx wildrydes-query --local --named total-distance --format csv > totals.csv
  npx wildrydes-upload --local examples/upload-small.ndjson.gz
  curl -sS -X POST http://127.0.0.1:4572/telemetry -H 'Content-Type: application/x-ndjson' --data-binary @examples/readings.ndjson
Or load the endpoints into the shell, and any AWS SDK or CLI (and these tools, without --local) reaches the stack:
  set -a; . .wildrydes/local.env; set +a`;

export function buildStartCommand(): Command {
  return new Command('start')
    .description(`Runs Wild Rydes on this machine: local Kinesis, DynamoDB, S3 and EventBridge on 127.0.0.1, the health,
aggregation, archival and ingestion services, and a simulated fleet. Ctrl-C stops everything.`)
    .addOption(new Option('--unicorns <n>', 'unicorns in the demo fleet (0 runs the services with no fleet)').argParser(wholeNumberArgument(0)).default(10))
    .addOption(new Option('--seed <s>', 'seed of the fleet (default: from the clock)').argParser(wholeNumberArgument(0)))
    .addOption(new Option('--duration <time>', 'stop after this long, e.g. 90s, 10m (default: until Ctrl-C)').argParser(durationArgument))
    .addOption(new Option('--data-dir <dir>', 'keep streams, tables, objects and checkpoints in DIR across restarts'))
    .addOption(new Option('--watch', 'reload a service\'s handlers when its code, the domain or the adapters change (stand-ins and data stay)').default(false))
    .addOption(new Option('--deployed-windows', 'batch as deployed (windows up to 20 s, not 1 s): slower to show, but invocations and S3 objects — and the meter — as on AWS').default(false))
    .addOption(new Option('--shards <n>', 'shards of the wildrydes stream when it is created (about one per 1,000 unicorns, as on AWS)').argParser(wholeNumberArgument(1)).default(2))
    .addOption(new Option('--dashboard-port <n>', 'port of the fleet dashboard on 127.0.0.1 (0 = any free port)').argParser(wholeNumberArgument(0)).default(4573))
    .addOption(new Option('--no-dashboard', 'do not serve the fleet dashboard'))
    .addHelpText('after', `\n${TRY_IT}`);
}

export function parseStartCommandLine(argv: readonly string[], io: CliOutput, now: number): Parsed<StartOptions> {
  const command = buildStartCommand();
  const exit = parseCommandLine('start', command, argv, io);
  if (exit !== undefined) return { kind: 'exit', code: exit };
  const raw = command.opts<{ unicorns: number; seed?: number; duration?: number; dataDir?: string; shards: number; dashboard: boolean; dashboardPort: number; watch: boolean; deployedWindows: boolean }>();
  return {
    kind: 'run',
    options: {
      unicorns: raw.unicorns, seed: raw.seed ?? now % 2 ** 31, durationMs: raw.duration, dataDir: raw.dataDir, shards: raw.shards,
      dashboardPort: raw.dashboard ? raw.dashboardPort : undefined, watch: raw.watch, deployedWindows: raw.deployedWindows,
    },
  };
}

export function buildLocalCommand(): Command {
  return new Command('local')
    .description(`Starts local Kinesis (kinesalite), DynamoDB (dynalite) and S3 (s3rver) on 127.0.0.1, creates the
Wild Rydes streams, tables and bucket, writes .wildrydes/local.json, and runs until Ctrl-C.`)
    .addOption(new Option('--data-dir <dir>', 'keep streams, tables and objects in DIR across restarts (default: in memory)'))
    .addOption(new Option('--port-base <n>', `kinesis N, dynamodb N+2, s3 N+3, eventbridge N+4 (default ${LOCAL_DEFAULT_PORTS.kinesis})`).argParser(wholeNumberArgument(1)))
    .addHelpText('after', `\nPorts one by one: ${Object.values(LOCAL_PORT_ENV_VARS).join(', ')} (0 = any free port).`);
}

export function parseLocalCommandLine(argv: readonly string[], io: CliOutput): Parsed<LocalOptions> {
  const command = buildLocalCommand();
  const exit = parseCommandLine('local', command, argv, io);
  if (exit !== undefined) return { kind: 'exit', code: exit };
  const raw = command.opts<{ dataDir?: string; portBase?: number }>();
  return { kind: 'run', options: { dataDir: raw.dataDir, portBase: raw.portBase } };
}
