import { Command, InvalidArgumentError, Option } from 'commander';
import { compileEventPattern, InvalidEventPatternError } from '@wildrydes/adapters/eventbridge';
import { type ReadFrom } from '@wildrydes/adapters/kinesis';
import { RESOURCE_NAMES, UNICORN_ALERT } from '@wildrydes/domain';
import { defaultRegion, parseCommandLine, durationArgument, httpUrlArgument, stagedOptionValue, stageOption, wholeNumberArgument, UsageError } from '@wildrydes/cli-support';

export interface ConsumerOptions {
  readonly stream: string;
  readonly region: string;
  readonly from: ReadFrom;
  readonly compact: boolean;
  readonly max: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly local: boolean;
  readonly endpoint: string | undefined;
  readonly endpointsFile: string | undefined;
  /** Set with `--alerts`: the EventBridge pattern sent to the feed (unicorn-alert, narrowed by `--pattern`). */
  readonly alertPattern: string | undefined;
  readonly bus: string;
  readonly queueUrl: string | undefined;
}

export type ParsedCommandLine = { readonly kind: 'run'; readonly options: ConsumerOptions } | { readonly kind: 'exit'; readonly code: number };




/** `latest`, `trim-horizon`, or a point in time (ISO 8601; without a zone it is UTC). */
export function parseFrom(value: string): ReadFrom {
  const lower = value.toLowerCase();
  if (lower === 'latest') return 'LATEST';
  if (lower === 'trim-horizon' || lower === 'trim_horizon') return 'TRIM_HORIZON';
  const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const timestamp = new Date(zoned);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(timestamp.getTime())) {
    throw new InvalidArgumentError('expected latest, trim-horizon or a timestamp such as 2026-11-22T10:00:00Z.');
  }
  return { timestamp };
}

/** unicorn-alert events, narrowed by the caller's pattern; the caller's `source` / `detail-type` win if given. */
export function alertPattern(userPattern: string | undefined): string {
  const base: Record<string, unknown> = { source: [UNICORN_ALERT.source], 'detail-type': [UNICORN_ALERT.detailType] };
  if (userPattern === undefined) return JSON.stringify(base);
  try {
    compileEventPattern(userPattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new UsageError(`--pattern: ${error.message}`);
    throw error;
  }
  const merged = { ...base, ...(JSON.parse(userPattern) as Record<string, unknown>) };
  compileEventPattern(merged);
  return JSON.stringify(merged);
}

export function buildConsumerCommand(): Command {
  return new Command('consumer')
    .description('Prints the records of a Kinesis stream as JSON, like the Wild Rydes workshop consumer, or unicorn-alert events.')
    .addOption(new Option('--stream <stream>', 'Kinesis stream, e.g. wildrydes-summary for the minute summaries').default(RESOURCE_NAMES.telemetryStream))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, else us-east-1)'))
    .addOption(new Option('--from <position>', 'latest, trim-horizon, or an ISO timestamp').default('latest'))
    .addOption(new Option('--compact', 'one line per JSON value instead of 4-space indentation').default(false))
    .addOption(new Option('--max <n>', 'stop after N records (events with --alerts)').argParser(wholeNumberArgument(1)))
    .addOption(new Option('--timeout <time>', 'stop after this long, e.g. 30s').argParser(durationArgument))
    .addOption(new Option('--local', 'use the local stack (endpoints from .wildrydes/local.json)').default(false))
    .addOption(new Option('--endpoint <url>', 'Kinesis endpoint URL (the EventBridge one with --alerts)').argParser(httpUrlArgument).conflicts(['local', 'endpointsFile']))
    .addOption(new Option('--endpoints-file <path>', 'local endpoints file to use instead of .wildrydes/local.json').conflicts('local'))
    .addOption(new Option('--alerts', 'print unicorn-alert events instead of stream records').default(false))
    .addOption(new Option('--pattern <json>', 'EventBridge event pattern narrowing the alerts, e.g. \'{"detail":{"severity":["critical"]}}\''))
    .addOption(new Option('--bus <name>', 'event bus of the alerts').default(RESOURCE_NAMES.eventBus))
    .addOption(new Option('--queue-url <url>', 'SQS queue subscribed to the alerts on AWS (default: WILDRYDES_ALERT_QUEUE_URL)'))
    .addOption(stageOption(['local', 'endpointsFile', 'endpoint']))
    .addHelpText(
      'after',
      `
Single dashes work too, as in the workshop: -stream wildrydes-summary -region eu-west-1.

Examples:
  consumer --local                                   # new readings as they arrive
  consumer --local -stream wildrydes-summary         # minute summaries
  consumer --local --from trim-horizon --max 10 --compact
  consumer --local --alerts --pattern '{"detail":{"severity":["critical"]}}'`,
    );
}

export function parseConsumerCommandLine(argv: readonly string[], io: { writeOut(s: string): void; writeErr(s: string): void }): ParsedCommandLine {
  const command = buildConsumerCommand();
  const exitCode = parseCommandLine('consumer', command, argv, io);
  if (exitCode !== undefined) return { kind: 'exit', code: exitCode };
  const raw = command.opts<{
    stream: string; region?: string; from: string; compact: boolean; max?: number; timeout?: number; local: boolean;
    endpoint?: string; endpointsFile?: string; alerts: boolean; pattern?: string; bus: string; queueUrl?: string;
  }>();
  if (command.args.length > 0) throw new UsageError(`unexpected argument "${command.args[0]}"`);
  if (raw.pattern !== undefined && !raw.alerts) throw new UsageError('--pattern filters alerts: use it with --alerts');
  let from: ReadFrom;
  try {
    from = parseFrom(raw.from);
  } catch (error) {
    throw new UsageError(`--from ${raw.from}: ${(error as Error).message}`);
  }
  return {
    kind: 'run',
    options: {
      stream: stagedOptionValue(command, 'stream', ['telemetryStream', 'summaryStream']),
      region: raw.region ?? defaultRegion(),
      from,
      compact: raw.compact,
      max: raw.max,
      timeoutMs: raw.timeout,
      local: raw.local,
      endpoint: raw.endpoint,
      endpointsFile: raw.endpointsFile,
      alertPattern: raw.alerts ? alertPattern(raw.pattern) : undefined,
      bus: stagedOptionValue(command, 'bus', ['eventBus']),
      queueUrl: raw.queueUrl ?? process.env['WILDRYDES_ALERT_QUEUE_URL'],
    },
  };
}

export { UsageError };
