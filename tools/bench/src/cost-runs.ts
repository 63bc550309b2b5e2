import { DEFAULT_HEALTH_POLICY, STREAM_MAPPINGS } from '@wildrydes/domain';
import { meterTotalsBetween, type MeterTotals } from '@wildrydes/local-aws';
import type { CostRun } from './benchmark-report';
import { asMeterSnapshot, costRows, tableUnits, type MeterSnapshot } from './cost-section';
import { readStatusFile } from './local-stack-process';
import { driveLoad, modeName, pause, shardsFor, withStack, type BenchContext, type LoadPlan } from './load-run';
import type { ProducerTotals } from './producer-totals';

/** A cost measurement: the fleet of `LoadPlan` run twice, for `baselineMs` and for `baselineMs + durationMs`. */
export interface CostPlan extends LoadPlan {
  /** The shorter run's length: long enough that every new unicorn's one-off work is done within it. */
  readonly baselineMs: number;
}

export type CostOutcome = { readonly kind: 'measured'; readonly runs: CostRun[] } | { readonly kind: 'unavailable'; readonly reason: string };

const UNAVAILABLE = 'the billing meter is not available (`.wildrydes/status.json` has no `meter` field), so the cost section was skipped';

interface MeteredLoad {
  readonly snapshot: MeterSnapshot;
  readonly producer: ProducerTotals;
  /** Whether the services caught up before the stack stopped: if not, the meter missed their last work. */
  readonly drained: boolean;
  /** Ends of the aggregation's tumbling windows while the run's records arrived. */
  readonly windowEnds: number;
}

/**
 * When a fleet stops, every unicorn goes silent: once the silence threshold has passed and the scan (once a minute)
 * has run, health raises one `UnicornSilent` each — true alerts, EventBridge events and archived alert objects. A run
 * whose services drained slowly would have them in its meter and one that drained fast would not, and the difference
 * would bill a fleet's stop to its steady state. So every run waits until they are raised before stopping.
 */
const FLEET_STOP_ALERTS_MS = DEFAULT_HEALTH_POLICY.silenceAfterMs + 60_000 + 30_000;

const TUMBLING_WINDOW_MS = (STREAM_MAPPINGS.aggregation.tumblingWindowSeconds ?? 60) * 1000;

/**
 * Ends of tumbling windows (aligned to the epoch, by arrival) between two instants. At each, the aggregation stores
 * every open minute pending and writes it again when it closes: one write more per unicorn, every 15 minutes.
 */
export const windowEndsBetween = (fromMs: number, toMs: number): number =>
  Math.max(0, Math.floor(toMs / TUMBLING_WINDOW_MS) - Math.floor(fromMs / TUMBLING_WINDOW_MS));

/**
 * Prices each plan's steady state: the meter's units of the longer run less those of the shorter one, over the
 * readings the longer run sent in addition. What a run pays once — each new unicorn's first health state and
 * lookups, the partial minutes at both ends, the stopped fleet's silence alerts — is in both runs and cancels out;
 * what remains is what the fleet costs for each further `durationMs` of flying. Not cancelled: a tumbling-window end
 * in one run only (counted, `windowEnds`), and one-offs a saturated stack had not finished when a run stopped. The
 * longer run's own total is kept beside it (start-up included), so the difference can be seen.
 */
export async function runCostSection(plans: readonly CostPlan[], context: BenchContext): Promise<CostOutcome> {
  const runs: CostRun[] = [];
  for (const [i, plan] of plans.entries()) {
    const measured: MeteredLoad[] = [];
    for (const durationMs of [plan.baselineMs, plan.baselineMs + plan.durationMs]) {
      context.log(`cost ${i + 1}/${plans.length}: N=${plan.unicorns} ${modeName(plan.pack)}, ${durationMs / 1000} s`);
      const outcome = await meteredLoad({ ...plan, durationMs }, context);
      if (outcome.kind === 'unavailable') return outcome;
      measured.push(outcome.load);
    }
    const [shorter, longer] = measured as [MeteredLoad, MeteredLoad];
    const shards = shardsFor(plan.unicorns);
    const steady = {
      unicorns: plan.unicorns,
      readings: longer.producer.readings - shorter.producer.readings,
      records: longer.producer.records - shorter.producer.records,
      seconds: longer.producer.seconds - shorter.producer.seconds,
      shards,
    };
    if (!(steady.readings > 0) || !(steady.seconds > 0)) {
      return { kind: 'unavailable', reason: `the longer run of N=${plan.unicorns} ${modeName(plan.pack)} sent no more than the shorter one (${longer.producer.readings} vs ${shorter.producer.readings} readings)` };
    }
    const between = meterTotalsBetween(shorter.snapshot as unknown as MeterTotals, longer.snapshot as unknown as MeterTotals) as unknown as MeterSnapshot;
    const wholeRun = { unicorns: plan.unicorns, readings: longer.producer.readings, records: longer.producer.records, seconds: longer.producer.seconds, shards };
    const wholeRunTotals = costRows(longer.snapshot, wholeRun)
      .filter((row) => row.metric.startsWith('cost (') && !row.metric.includes('):'))
      .map((row) => ({ ...row, metric: `whole ${Math.round(wholeRun.seconds)}-s run, start-up included: ${row.metric}` }));
    runs.push({
      unicorns: plan.unicorns, pack: plan.pack, readings: steady.readings, seconds: steady.seconds,
      baseline: { readings: shorter.producer.readings, seconds: shorter.producer.seconds },
      drained: shorter.drained && longer.drained,
      windowEnds: { baseline: shorter.windowEnds, longer: longer.windowEnds },
      tables: { baseline: tableUnits(shorter.snapshot), longer: tableUnits(longer.snapshot) },
      rows: [...costRows(between, steady), ...wholeRunTotals],
    });
  }
  return { kind: 'measured', runs };
}

/** One run on a fresh stack, batched as deployed, and the meter's final totals (written as the stack stops). */
async function meteredLoad(plan: LoadPlan, context: BenchContext): Promise<{ readonly kind: 'measured'; readonly load: MeteredLoad } | { readonly kind: 'unavailable'; readonly reason: string }> {
  const outcome = await withStack(context, plan.durationMs + plan.drainTimeoutMs + 10 * 60_000, shardsFor(plan.unicorns), async (stack) => {
    let status = await stack.readStatus();
    for (let waited = 0; status === undefined && waited < 10_000; waited += 250) {
      await pause(250, context.signal);
      status = await stack.readStatus();
    }
    if (status?.meter === undefined) return undefined;
    const startedAt = Date.now();
    const load = await driveLoad(stack, plan, context);
    if (!load.drained) context.log(`  the services did not catch up within ${plan.drainTimeoutMs / 1000} s: the meter misses their last work`);
    const untilStopAlerts = FLEET_STOP_ALERTS_MS - load.drainSeconds * 1000;
    if (untilStopAlerts > 0) {
      context.log(`  waiting ${Math.ceil(untilStopAlerts / 1000)} s for the fleet's silence alerts, as every run does…`);
      await pause(untilStopAlerts, context.signal);
    }
    return { statusFile: stack.statusFile, load, windowEnds: windowEndsBetween(startedAt, Date.now()) };
  // Batched as deployed (20 s windows, not the 1 s `npm start` uses to feel live): invocations and S3 objects as on AWS.
  }, { deployedWindows: true });
  if (outcome === undefined) return { kind: 'unavailable', reason: UNAVAILABLE };
  const snapshot = asMeterSnapshot((await readStatusFile(outcome.statusFile))?.meter);
  if (snapshot === undefined) return { kind: 'unavailable', reason: 'the `meter` field of `.wildrydes/status.json` does not have the expected shape' };
  return { kind: 'measured', load: { snapshot, producer: outcome.load.producer, drained: outcome.load.drained, windowEnds: outcome.windowEnds } };
}
