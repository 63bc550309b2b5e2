import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { durationArgument, parseCommandLine, wholeNumberArgument, type CliOutput } from '@wildrydes/cli-support';
import type { CapacityPlan } from './capacity-section';
import type { CostPlan } from './cost-runs';

export const SECTIONS = ['capacity', 'cost', 'domain', 'dashboard', 'all'] as const;
export type Section = (typeof SECTIONS)[number];

export const PACKED = 25;
export const DEFAULT_STEPS = { unpacked: [1_000, 2_500, 5_000, 10_000], packed: [10_000, 25_000, 50_000, 100_000] } as const;
/** The cost section's runs: each fleet size unpacked and packed. */
export const COST_FLEETS = [1_000, 10_000] as const;
export const COST_PACKS = [1, PACKED] as const;
const MINUTE = 60_000;

export interface BenchOptions {
  readonly section: Section;
  readonly quick: boolean;
  readonly capacityPlans: readonly CapacityPlan[];
  readonly costPlans: readonly CostPlan[];
  /** Write docs/benchmarks.md, docs/benchmarks.json and the chart. */
  readonly writeDocs: boolean;
  /** Unicorns on the dashboard page (`dashboard` section; --n). */
  readonly dashboardUnicorns: number;
}

const stepList = (value: string): number[] => {
  const steps = value.split(',').map((part) => part.trim());
  if (steps.some((step) => !/^\d+$/.test(step) || Number(step) < 3)) throw new InvalidArgumentError('expected fleet sizes ≥ 3 separated by commas, e.g. 1000,2500.');
  return steps.map(Number);
};

export function buildBenchCommand(): Command {
  return new Command('bench')
    .description(`Measures the whole product on this machine: each run starts the real local stack (npm start), an alert
subscriber and the real producer, and measures what came out. Writes docs/benchmarks.md.`)
    .addArgument(new Argument('<section>', 'capacity | cost | domain | dashboard (the page in headless Chromium; not part of all, printed only) | all').choices(SECTIONS))
    .addOption(new Option('--quick', '60 s runs instead of 5 min, shorter drain deadline, bench:domain --quick').default(false))
    .addOption(new Option('--n <unicorns>', 'one fleet size instead of the step list').argParser(wholeNumberArgument(3)))
    .addOption(new Option('--steps <list>', 'fleet sizes, comma-separated, instead of the default steps').argParser(stepList))
    .addOption(new Option('--pack <k>', `readings per Kinesis record: 1 = the unpacked mode only, ${PACKED} = the packed mode only (default: both modes)`).argParser(wholeNumberArgument(1)))
    .addOption(new Option('--duration <time>', 'capacity: how long the producer runs; cost: how long the units are metered after the warm-up, whole minutes (default 5m, --quick 60s)').argParser(durationArgument))
    .addOption(new Option('--allowed-lateness <time>', 'added to the 15 s a minute summary has after its minute ends').argParser(durationArgument).default(60_000, '60s'))
    .addOption(new Option('--warm-up <time>', 'cost: how long each fleet flies before its units are metered for --duration (default 2m, --quick 1m)').argParser(durationArgument))
    .addOption(new Option('--drain-timeout <time>', 'how long the services may take to catch up after the producer (default 10m, --quick 3m)').argParser(durationArgument))
    .addOption(new Option('--seed <s>', 'seed of the simulated fleet').argParser(wholeNumberArgument(0)).default(1))
    .addOption(new Option('--no-docs', 'print only; leave docs/benchmarks.md as it is'))
    .addHelpText('after', `
Default steps: unpacked ${DEFAULT_STEPS.unpacked.join(', ')}; packed (--pack ${PACKED}) ${DEFAULT_STEPS.packed.join(', ')}.
Examples:
  npm run bench -- capacity --quick --n 500
  npm run bench -- capacity --n 5000 --pack ${PACKED}
  npm run bench -- all`);
}

export type ParsedBench = { readonly kind: 'run'; readonly options: BenchOptions } | { readonly kind: 'exit'; readonly code: number };

export function parseBenchCommandLine(argv: readonly string[], io: CliOutput): ParsedBench {
  const command = buildBenchCommand();
  const exit = parseCommandLine('bench', command, argv, io);
  if (exit !== undefined) return { kind: 'exit', code: exit };
  const raw = command.opts<{
    quick: boolean; n?: number; steps?: number[]; pack?: number; duration?: number; warmUp?: number; allowedLateness: number; drainTimeout?: number; seed: number; docs: boolean;
  }>();
  const section = command.processedArgs[0] as Section;
  const durationMs = raw.duration ?? (raw.quick ? MINUTE : 5 * MINUTE);
  if ((section === 'cost' || section === 'all') && durationMs % MINUTE !== 0) {
    // The metered window must hold as many minute ends (a summary per unicorn each) as it holds minutes.
    io.writeErr(`bench: cost meters whole minutes; --duration ${durationMs / 1000}s is not one (e.g. --duration 5m)\n`);
    return { kind: 'exit', code: 2 };
  }
  const drainTimeoutMs = raw.drainTimeout ?? (raw.quick ? 3 * MINUTE : 10 * MINUTE);
  const common = { durationMs, drainTimeoutMs, seed: raw.seed };

  // Both modes on their own steps, unless a pack, a fleet size or a step list narrows it to one mode.
  const chosen = raw.n !== undefined ? [raw.n] : raw.steps;
  const packs = raw.pack !== undefined ? [raw.pack] : chosen !== undefined ? [1] : [1, PACKED];
  const capacityPlans = packs.flatMap((pack) =>
    (chosen ?? (pack > 1 ? DEFAULT_STEPS.packed : DEFAULT_STEPS.unpacked)).map((unicorns) => ({ ...common, unicorns, pack, allowedLatenessMs: raw.allowedLateness })));
  const costPlans = (raw.pack !== undefined ? [raw.pack] : COST_PACKS).flatMap((pack) =>
    (raw.n !== undefined ? [raw.n] : COST_FLEETS).map((unicorns) => ({ ...common, unicorns, pack, warmUpMs: raw.warmUp ?? (raw.quick ? MINUTE : 2 * MINUTE) })));
  return { kind: 'run', options: { section, quick: raw.quick, capacityPlans, costPlans, writeDocs: raw.docs, dashboardUnicorns: raw.n ?? 10_000 } };
}
