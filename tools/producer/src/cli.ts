/**
 * `producer`: the Wild Rydes workshop producer, rebuilt. Flies one unicorn (a `.` per put, as the workshop did) or a
 * fleet (`--fleet N`, with a live status line) and puts its readings on the Kinesis stream.
 *
 *   npm run producer -- --local [-name Shadowfax] [-msgs N] [--fleet N --rate R --duration 5m --pack K ...]
 *
 * Exit codes: 0 done or stopped with Ctrl-C, 1 fatal error (one line on stderr), 2 bad flags.
 */
import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { FleetSimulation, unicornName, type FleetScenarios, type SimulatedRecord } from '@wildrydes/domain';
import { resolveTarget, type Target, describeFatalError, findNetworkCode, onStopSignals, runMain } from '@wildrydes/cli-support';
import { produce, systemClock } from './produce';
import { sendThroughOutages, StreamUnreachableError } from './send-through-outages';
import { parseProducerCommandLine, UsageError, type ProducerOptions } from './producer-options';
import { RecordPacker, renameUnicorn, type PackedRecord } from './record-packer';
import { emptyCounters, formatStatus, formatTotals, type ProducerCounters } from './status-line';

const TEXT = new TextDecoder();

async function main(argv: readonly string[]): Promise<number> {
  let options: ProducerOptions;
  let fleet: FleetPlan;
  try {
    const parsed = parseProducerCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    if (parsed.kind === 'exit') return parsed.code;
    options = parsed.options;
    fleet = planFleet(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`producer: ${error.message}\n(run producer --help for usage)\n`);
    return 2;
  }

  let target: Target | undefined;
  const fatal = (error: unknown): number => {
    const endpoint = target?.endpoints?.kinesis ?? options.endpoint ?? `https://kinesis.${options.region}.amazonaws.com`;
    process.stderr.write(`producer: ${describeFatalError(error, { service: 'Kinesis', endpoint, resource: `stream "${options.stream}"` })}\n`);
    return 1;
  };
  try {
    if (!options.dryRun) target = await resolveTarget(options);
  } catch (error) {
    return fatal(error);
  }

  const fleetMode = options.fleet !== undefined;
  const simulation = new FleetSimulation({
    seed: options.seed,
    unicorns: fleet.size,
    startTime: simulationStart(Date.now(), options, fleet.size),
    format: options.format,
    scenarios: fleet.scenarios,
  });
  const rename = (records: SimulatedRecord[]): SimulatedRecord[] => records.map((r) => renameUnicorn(r, fleet.firstName, options.name));
  const counters = emptyCounters();
  const controller = new AbortController();
  const stopSignals = onStopSignals(controller);
  const startedAt = Date.now();
  if (fleetMode) process.stderr.write(`${banner(options, fleet, target)}\n`);
  const status = fleetMode && !options.dryRun ? startStatusLine(counters, startedAt) : undefined;

  const send = options.dryRun ? sendToStdout(counters) : sendToKinesisThroughOutages(
    sendToKinesis(new KinesisTelemetryStream((target as Target).clients.kinesis, options.stream), counters, fleetMode),
    counters, controller.signal, options.outageLimitMs, target?.endpoints?.kinesis ?? options.endpoint ?? `AWS ${options.region}`,
  );
  let exitCode = 0;
  try {
    await produce(
      {
        tickIntervalMs: options.rate === 0 ? 0 : 1000 / options.rate,
        signal: controller.signal,
        ...(options.msgs === undefined ? {} : { maxRecords: options.msgs }),
        ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
      },
      { tick: () => rename(simulation.tick()), flushLate: () => rename(simulation.flushLate()), packer: new RecordPacker(options.pack, { staggered: fleetMode && !options.alignedPacks }), send },
    );
  } catch (error) {
    exitCode = fatal(error);
  } finally {
    status?.stop();
    stopSignals();
    target?.clients.destroy();
  }
  if (!fleetMode && !options.dryRun && process.stdout.isTTY) process.stdout.write('\n');
  // Totals whatever the ending (a fatal error included), so what was sent and acknowledged is always known.
  const sentAnything = counters.records > 0 || counters.unsent > 0 || counters.failed > 0;
  if ((fleetMode || controller.signal.aborted || (exitCode !== 0 && sentAnything)) && !options.dryRun) process.stderr.write(`${formatTotals(counters, Date.now() - startedAt)}\n`);
  return exitCode;
}

interface FleetPlan {
  readonly size: number;
  /** The simulation's name of the first unicorn, which `-name` renames. */
  readonly firstName: string;
  readonly scenarios: FleetScenarios;
}

function planFleet(options: ProducerOptions): FleetPlan {
  const size = options.fleet ?? 1;
  const simulated = Array.from({ length: size }, (_, i) => unicornName(i));
  const firstName = simulated[0] as string;
  const visible = [options.name, ...simulated.slice(1)];
  if (simulated.indexOf(options.name) > 0) throw new UsageError(`--name ${options.name} is already unicorn #${simulated.indexOf(options.name) + 1} of the fleet`);
  const internal = (name: string | undefined, scenario: string): string | undefined => {
    if (name === undefined) return undefined;
    if (!visible.includes(name)) throw new UsageError(`--scenario ${scenario}=${name}: no unicorn of that name (the fleet is ${visible.slice(0, 5).join(', ')}${size > 5 ? ', …' : ''})`);
    return name === options.name ? firstName : name;
  };
  const { decliningUnicorn, silentUnicorn, ...rest } = options.scenarios;
  const declining = internal(decliningUnicorn, 'decline');
  const silent = internal(silentUnicorn, 'silent');
  return {
    size,
    firstName,
    scenarios: { ...rest, ...(declining === undefined ? {} : { decliningUnicorn: declining }), ...(silent === undefined ? {} : { silentUnicorn: silent }) },
  };
}

/**
 * Each reading is one simulated second. At 1 reading/s that is the wall clock; faster runs are back-dated so their
 * readings do not land in the future (ingestion refuses readings more than 5 minutes ahead): by the planned
 * length when it is known, by a day otherwise.
 */
export function simulationStart(now: number, options: ProducerOptions, fleetSize: number): number {
  if (options.rate === 1) return now;
  const ticks =
    options.msgs !== undefined
      ? Math.ceil(options.msgs / fleetSize)
      : options.durationMs !== undefined && options.rate > 0
        ? Math.ceil((options.durationMs / 1000) * options.rate)
        : 86_400;
  return now - ticks * 1000;
}

function sendToKinesis(stream: KinesisTelemetryStream, counters: ProducerCounters, fleetMode: boolean) {
  return async (batch: PackedRecord[]): Promise<void> => {
    const outcome = await stream.put(batch.map((packed) => packed.record));
    const linesOf = new Map(batch.map((packed) => [packed.record, packed.lines]));
    const failedLines = outcome.rejected.reduce((sum, rejected) => sum + (linesOf.get(rejected.record) ?? 1), 0);
    const lines = batch.reduce((sum, packed) => sum + packed.lines, 0);
    counters.records += outcome.accepted;
    counters.readings += lines - failedLines;
    counters.throttled += outcome.throttled;
    counters.failed += failedLines;
    if (!fleetMode && outcome.accepted > 0) process.stdout.write('.'.repeat(outcome.accepted));
    const first = outcome.rejected[0];
    if (first !== undefined) {
      process.stderr.write(`${fleetMode ? '\n' : ''}producer: ${outcome.rejected.length} record(s) refused after retries: ${first.errorCode}: ${first.errorMessage}\n`);
    }
  };
}

/**
 * Rides out a stream that goes away and comes back (retrying for up to --outage-limit). Stopped with Ctrl-C during
 * an outage, what is left is counted as never acknowledged and the run ends normally with its totals.
 */
function sendToKinesisThroughOutages(send: (batch: PackedRecord[]) => Promise<void>, counters: ProducerCounters, signal: AbortSignal, outageLimitMs: number, endpoint: string) {
  const resilient = sendThroughOutages(send, {
    signal, outageLimitMs, clock: systemClock,
    isUnreachable: (error) => findNetworkCode(error) !== undefined,
    onOutage: (state, error) => process.stderr.write(state === 'unreachable'
      ? `\nproducer: Kinesis at ${endpoint} is unreachable (${findNetworkCode(error)}); retrying for up to ${Math.round(outageLimitMs / 1000)} s\n`
      : 'producer: Kinesis is reachable again; sending\n'),
  }, { resent: (lines) => { counters.resent += lines; } });
  // A stream never reached is a configuration error (wrong endpoint, nothing running): fail at once, as before.
  let reachedOnce = false;
  return async (batch: PackedRecord[]): Promise<void> => {
    if (!reachedOnce) {
      await send(batch);
      reachedOnce = true;
      return;
    }
    try {
      await resilient(batch);
    } catch (error) {
      if (!(error instanceof StreamUnreachableError)) throw error;
      counters.unsent += error.lines;
      if (!signal.aborted) throw error;
    }
  };
}

function sendToStdout(counters: ProducerCounters) {
  return async (batch: PackedRecord[]): Promise<void> => {
    for (const { record, lines } of batch) {
      const text = TEXT.decode(record.data);
      counters.records += 1;
      counters.readings += lines;
      if (!process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)) {
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    }
  };
}

function banner(options: ProducerOptions, fleet: FleetPlan, target: Target | undefined): string {
  const names = [options.name, ...Array.from({ length: Math.min(fleet.size, 3) - 1 }, (_, i) => unicornName(i + 1))];
  const where = options.dryRun ? 'stdout (dry run)' : `stream "${options.stream}" at ${target?.endpoints?.kinesis ?? `AWS ${options.region}`}`;
  const rate = options.rate === 0 ? 'as fast as possible' : `${options.rate} reading/s each`;
  return `producer: ${fleet.size} unicorn(s) (${names.join(', ')}${fleet.size > 3 ? ', …' : ''}) → ${where}, ${rate}, seed ${options.seed}; Ctrl-C stops`;
}

/** On a TTY the line is redrawn in place every second; otherwise one line every 5 s (logs, CI). */
function startStatusLine(counters: ProducerCounters, startedAt: number): { stop(): void } {
  const tty = process.stderr.isTTY === true;
  let last = { at: startedAt, readings: 0 };
  const draw = (): void => {
    const now = Date.now();
    const rate = ((counters.readings - last.readings) * 1000) / Math.max(1, now - last.at);
    last = { at: now, readings: counters.readings };
    const line = formatStatus(counters, rate, now - startedAt);
    process.stderr.write(tty ? `\r${line}\x1b[K` : `producer: ${line}\n`);
  };
  const timer = setInterval(draw, tty ? 1000 : 5000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}


runMain('producer', main);
