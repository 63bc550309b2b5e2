import { Command, InvalidArgumentError, Option } from 'commander';
import { RESOURCE_NAMES, type FleetScenarios, type ProducerFormat } from '@wildrydes/domain';
import { defaultRegion, parseCommandLine, durationArgument, httpUrlArgument, stagedOptionValue, stageOption, wholeNumberArgument, UsageError } from '@wildrydes/cli-support';

export type ScenarioName = 'decline' | 'silent' | 'late' | 'duplicate';

export interface ProducerOptions {
  readonly name: string;
  readonly stream: string;
  readonly region: string;
  /** Stop after this many records (readings, poison and duplicates all count), as the workshop's `-msgs`. */
  readonly msgs: number | undefined;
  readonly error: boolean;
  /** Unicorns in fleet mode; undefined is the workshop's single-unicorn mode. */
  readonly fleet: number | undefined;
  /** Readings per second per unicorn; 0 = as fast as possible. */
  readonly rate: number;
  readonly durationMs: number | undefined;
  readonly seed: number;
  readonly scenarios: FleetScenarios;
  readonly pack: number;
  /** Fleet mode sends every unicorn's packs at the same tick instead of spreading them (the default). */
  readonly alignedPacks: boolean;
  readonly format: ProducerFormat;
  readonly local: boolean;
  readonly endpoint: string | undefined;
  readonly endpointsFile: string | undefined;
  readonly dryRun: boolean;
  /** How long Kinesis may stay unreachable mid-run before the producer gives up (it retries until then). */
  readonly outageLimitMs: number;
}

export type ParsedCommandLine = { readonly kind: 'run'; readonly options: ProducerOptions } | { readonly kind: 'exit'; readonly code: number };


const rate = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0 (0 = as fast as possible).');
  return n;
};



const SCENARIO = /^(decline|silent|late|duplicate)(?:=(.+))?$/;
const collectScenario = (value: string, previous: string[]): string[] => {
  if (!SCENARIO.test(value)) throw new InvalidArgumentError('expected decline[=NAME], silent[=NAME], late[=EVERY] or duplicate[=EVERY].');
  return [...previous, value];
};

export function buildProducerCommand(): Command {
  return new Command('producer')
    .description('Sends simulated unicorn telemetry to the Kinesis stream, like the Wild Rydes workshop producer.')
    .addOption(new Option('--name <name>', 'unicorn name, also the partition key (the first unicorn in fleet mode)').default('Shadowfax'))
    .addOption(new Option('--stream <stream>', 'Kinesis stream').default(RESOURCE_NAMES.telemetryStream))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, else us-east-1)'))
    .addOption(new Option('--msgs <n>', 'stop after N records').argParser(wholeNumberArgument(1)))
    .addOption(new Option('--error <yes|no>', 'every 5th record is a poison record').choices(['yes', 'no']).default('no'))
    .addOption(new Option('--fleet <n>', 'fly N unicorns (the workshop three first) with a status line').argParser(wholeNumberArgument(1)))
    .addOption(new Option('--rate <r>', 'readings per second per unicorn; 0 = as fast as possible').argParser(rate).default(1))
    .addOption(new Option('--duration <time>', 'stop after this long, e.g. 90s, 5m').argParser(durationArgument))
    .addOption(new Option('--seed <s>', 'seed of the simulation (default: random, printed in fleet mode)').argParser(wholeNumberArgument(0)))
    .addOption(
      new Option('--scenario <name>', 'decline[=NAME] | silent[=NAME] | late[=EVERY] | duplicate[=EVERY]; repeatable')
        .argParser(collectScenario)
        .default([]),
    )
    .addOption(new Option('--pack <k>', 'K readings of one unicorn per Kinesis record, as NDJSON').argParser(wholeNumberArgument(1)).default(1))
    .addOption(new Option('--aligned-packs', "fleet mode: every unicorn's pack goes out at the same tick (default: spread over K ticks)").default(false))
    .addOption(new Option('--format <v>', 'record format: v1 (integer distance, workshop v1) or v2 (decimal, trailing newline)').choices(['v1', 'v2']).default('v2'))
    .addOption(new Option('--local', 'use the local stack (endpoints from .wildrydes/local.json)').default(false))
    .addOption(new Option('--endpoint <url>', 'Kinesis endpoint URL').argParser(httpUrlArgument).conflicts(['local', 'endpointsFile']))
    .addOption(new Option('--endpoints-file <path>', 'local endpoints file to use instead of .wildrydes/local.json').conflicts('local'))
    .addOption(new Option('--dry-run', 'print the records instead of sending them').default(false))
    .addOption(stageOption(['local', 'endpointsFile', 'endpoint']))
    .addOption(new Option('--outage-limit <time>', 'keep retrying an unreachable stream this long before giving up, e.g. 30s, 5m').argParser(durationArgument).default(300_000, '5m'))
    .addHelpText(
      'after',
      `
Single dashes work too, as in the workshop: -name Bucephalus -stream wildrydes -msgs 100 -error yes.

Examples:
  producer --local                                   # Shadowfax, one reading a second, a dot per put
  producer --local -name Bucephalus -msgs 60
  producer --local --fleet 50 --scenario decline     # 50 unicorns, the first one's health declining
  producer --local --fleet 3 --rate 0 --duration 30s --pack 10   # load test
  producer --dry-run --rate 0 -msgs 3`,
    );
}

/**
 * Parses argv (without node and the script). Commander prints help and errors itself; bad flags exit 2.
 * Throws UsageError for flag combinations commander cannot check.
 */
export function parseProducerCommandLine(argv: readonly string[], io: { writeOut(s: string): void; writeErr(s: string): void }): ParsedCommandLine {
  const command = buildProducerCommand();
  const exitCode = parseCommandLine('producer', command, argv, io);
  if (exitCode !== undefined) return { kind: 'exit', code: exitCode };
  const raw = command.opts<{
    name: string; stream: string; region?: string; msgs?: number; error: 'yes' | 'no'; fleet?: number; rate: number;
    duration?: number; seed?: number; scenario: string[]; pack: number; alignedPacks: boolean; format: ProducerFormat; local: boolean;
    endpoint?: string; endpointsFile?: string; dryRun: boolean; outageLimit: number;
  }>();
  if (command.args.length > 0) throw new UsageError(`unexpected argument "${command.args[0]}"`);
  if (raw.name.trim() === '') throw new UsageError('--name must not be empty');
  return {
    kind: 'run',
    options: {
      name: raw.name,
      stream: stagedOptionValue(command, 'stream', ['telemetryStream']),
      region: raw.region ?? defaultRegion(),
      msgs: raw.msgs,
      error: raw.error === 'yes',
      fleet: raw.fleet,
      rate: raw.rate,
      durationMs: raw.duration,
      seed: raw.seed ?? Math.floor(Math.random() * 2 ** 31),
      scenarios: toScenarios(raw.scenario, raw.name, raw.error === 'yes'),
      pack: raw.pack,
      alignedPacks: raw.alignedPacks,
      format: raw.format,
      local: raw.local,
      endpoint: raw.endpoint,
      endpointsFile: raw.endpointsFile,
      dryRun: raw.dryRun,
      outageLimitMs: raw.outageLimit,
    },
  };
}

/** `decline` and `silent` hit the first unicorn unless named; `late` and `duplicate` every 10th reading unless given. */
export function toScenarios(values: readonly string[], firstUnicorn: string, poison: boolean): FleetScenarios {
  const scenarios: { -readonly [K in keyof FleetScenarios]: FleetScenarios[K] } = {};
  for (const value of values) {
    const [, kind, argument] = SCENARIO.exec(value) as unknown as [string, ScenarioName, string | undefined];
    if (kind === 'decline') scenarios.decliningUnicorn = argument ?? firstUnicorn;
    else if (kind === 'silent') scenarios.silentUnicorn = argument ?? firstUnicorn;
    else {
      const every = argument === undefined ? 10 : Number(argument);
      if (!Number.isInteger(every) || every < 1) throw new UsageError(`--scenario ${kind}=${argument}: expected a whole number ≥ 1`);
      if (kind === 'late') scenarios.lateEvery = every;
      else scenarios.duplicateEvery = every;
    }
  }
  if (poison) scenarios.poisonEvery = 5;
  return scenarios;
}

export { UsageError };
