import { STREAM_MAPPINGS } from '@wildrydes/domain';
import { meterTotalsBetween, scaleServiceUsage, type MeterTotals } from '@wildrydes/local-aws';
import { BenchError } from './bench.errors';
import type { CostRun } from './benchmark-report';
import { STREAM_SERVICES } from './capacity-report';
import { asMeterSnapshot, costRows, tableUnits, type MeterSnapshot } from './cost-section';
import type { StackStatus } from './local-stack-process';
import { driveLoad, modeName, pause, shardsFor, withStack, type BenchContext, type LoadPlan } from './load-run';

/** A cost measurement: the fleet of `LoadPlan` flies `warmUpMs`, then its units are metered for `durationMs`. */
export interface CostPlan extends LoadPlan {
  /** How long the fleet flies before the measured window opens: long enough for every new unicorn's one-off work. */
  readonly warmUpMs: number;
}

export type CostOutcome = { readonly kind: 'measured'; readonly runs: CostRun[] } | { readonly kind: 'unavailable'; readonly reason: string };

const UNAVAILABLE = 'the billing meter is not available (`.wildrydes/status.json` has no `meter` field), so the cost section was skipped';

/** The producer runs this much past the window's close, so the window never ends with the fleet's last seconds. */
const PRODUCER_MARGIN_MS = 20_000;

const TUMBLING_WINDOW_MS = (STREAM_MAPPINGS.aggregation.tumblingWindowSeconds ?? 60) * 1000;

/**
 * Ends of tumbling windows (aligned to the epoch, by arrival) between two instants. At each, the aggregation stores
 * every open minute pending and writes it again when it closes: one write more per unicorn, every 15 minutes.
 */
export const windowEndsBetween = (fromMs: number, toMs: number): number =>
  Math.max(0, Math.floor(toMs / TUMBLING_WINDOW_MS) - Math.floor(fromMs / TUMBLING_WINDOW_MS));

/** The two statuses that bound the measured window: the first sampled once the warm-up is over, and the first `durationMs` later. */
export class MeteredWindow {
  opening: StackStatus | undefined;
  closing: StackStatus | undefined;

  constructor(private readonly warmUpMs: number, private readonly durationMs: number) {}

  /** Offered every status sampled while the producer runs, with the ms since it was started. */
  offer(status: StackStatus, sinceProducerStartMs: number): void {
    if (status.meter === undefined) return;
    if (this.opening === undefined) {
      if (sinceProducerStartMs >= this.warmUpMs) this.opening = status;
    } else if (this.closing === undefined && status.updatedAt - this.opening.updatedAt >= this.durationMs) {
      this.closing = status;
    }
  }
}

/** What the producer sent: readings per record and per second, from its final totals. */
interface SendRates {
  readonly readingsPerRecord: number;
  readonly readingsPerSecond: number;
}

/**
 * The priced usage of a span between two statuses (`from` undefined: since the stack started) and the readings it is
 * priced over: the producer's average rate over the span. Each stream service is priced per reading it handled in
 * the span — its units scaled by the readings sent over those its records held — because 20-s batches and 25-s packs
 * fall unevenly across the span's ends, and a service that falls behind handles fewer; `handled` gives each share.
 */
export function pricedSpan(
  from: StackStatus | undefined, to: StackStatus, spanSeconds: number, rates: SendRates,
): { readonly totals: MeterTotals; readonly readings: number; readonly records: number; readonly handled: Record<string, number> } {
  const readings = rates.readingsPerSecond * spanSeconds;
  const handled: Record<string, number> = {};
  for (const service of STREAM_SERVICES) {
    const records = (to.services[service]?.records ?? 0) - (from?.services[service]?.records ?? 0);
    handled[service] = (records * rates.readingsPerRecord) / readings;
  }
  const unhandled = Object.entries(handled).filter(([, share]) => !(share > 0)).map(([service]) => service);
  if (unhandled.length > 0) throw new BenchError('COST_WINDOW_EMPTY', `no records handled by ${unhandled.join(', ')} in the ${Math.round(spanSeconds)}-s window: nothing to price them by`);
  const later = to.meter as MeterTotals;
  const between = from === undefined ? later : meterTotalsBetween(from.meter as MeterTotals, later);
  const factors = Object.fromEntries(Object.entries(handled).map(([service, share]) => [service, 1 / share]));
  return { totals: scaleServiceUsage(between, factors), readings, records: readings / rates.readingsPerRecord, handled };
}

/**
 * Prices each plan's steady state from one run: the fleet flies `warmUpMs` (each new unicorn's first health state
 * and lookups, the first partial minutes), then the meter is read twice `durationMs` apart — a whole number of
 * minutes, so the window holds as many minute ends as minutes — and the units between the two readings are priced
 * over the readings sent between them. Not in it: a fleet's start and its stop (every unicorn's silence alert).
 * Counted apart: a tumbling-window end inside the window (`windowEnds`). The span from the stack's start to the
 * window's close is priced beside it (start-up included), so the difference can be seen.
 */
export async function runCostSection(plans: readonly CostPlan[], context: BenchContext): Promise<CostOutcome> {
  const runs: CostRun[] = [];
  for (const [i, plan] of plans.entries()) {
    context.log(`cost ${i + 1}/${plans.length}: N=${plan.unicorns} ${modeName(plan.pack)}, ${plan.warmUpMs / 1000} s of warm-up, then ${plan.durationMs / 1000} s metered`);
    const outcome = await meteredRun(plan, context);
    if (outcome.kind === 'unavailable') return outcome;
    runs.push(outcome.run);
  }
  return { kind: 'measured', runs };
}

async function meteredRun(plan: CostPlan, context: BenchContext): Promise<{ readonly kind: 'measured'; readonly run: CostRun } | { readonly kind: 'unavailable'; readonly reason: string }> {
  const shards = shardsFor(plan.unicorns);
  const window = new MeteredWindow(plan.warmUpMs, plan.durationMs);
  const producerPlan = { ...plan, durationMs: plan.warmUpMs + plan.durationMs + PRODUCER_MARGIN_MS, drainTimeoutMs: 0 };
  const outcome = await withStack(context, producerPlan.durationMs + 10 * 60_000, shards, async (stack) => {
    let status = await stack.readStatus();
    for (let waited = 0; status === undefined && waited < 10_000; waited += 250) {
      await pause(250, context.signal);
      status = await stack.readStatus();
    }
    if (status?.meter === undefined) return undefined;
    const load = await driveLoad(stack, producerPlan, context, (sampled, since) => window.offer(sampled, since));
    return { load, stackStartedAt: status.updatedAt };
  // Batched as deployed (20 s windows, not the 1 s `npm start` uses to feel live): invocations and S3 objects as on AWS.
  }, { deployedWindows: true });
  if (outcome === undefined) return { kind: 'unavailable', reason: UNAVAILABLE };
  const { opening, closing } = window;
  if (opening === undefined || closing === undefined) {
    throw new BenchError('COST_WINDOW_MISSED', `the stack's status was not sampled at both ends of the metered window (N=${plan.unicorns} ${modeName(plan.pack)})`);
  }
  for (const status of [opening, closing]) {
    if (asMeterSnapshot(status.meter) === undefined) return { kind: 'unavailable', reason: 'the `meter` field of `.wildrydes/status.json` does not have the expected shape' };
  }
  const { producer } = outcome.load;
  const rates = { readingsPerRecord: producer.readings / producer.records, readingsPerSecond: producer.readings / producer.seconds };
  const seconds = (closing.updatedAt - opening.updatedAt) / 1000;
  const steady = pricedSpan(opening, closing, seconds, rates);
  const sinceStart = (closing.updatedAt - outcome.load.sendStartedAt) / 1000;
  const whole = pricedSpan(undefined, closing, sinceStart, rates);
  const run = { unicorns: plan.unicorns, shards };
  const wholeRunTotals = costRows(whole.totals as unknown as MeterSnapshot, { ...run, readings: whole.readings, records: whole.records, seconds: sinceStart })
    .filter((row) => row.metric.startsWith('cost (') && !row.metric.includes('):'))
    .map((row) => ({ ...row, metric: `first ${Math.round(sinceStart)} s, start-up included: ${row.metric}` }));
  return {
    kind: 'measured',
    run: {
      unicorns: plan.unicorns, pack: plan.pack, readings: steady.readings, seconds,
      warmUp: { readings: Math.round(rates.readingsPerSecond * (opening.updatedAt - outcome.load.sendStartedAt) / 1000), seconds: (opening.updatedAt - outcome.load.sendStartedAt) / 1000 },
      handled: steady.handled,
      windowEnds: { metered: windowEndsBetween(opening.updatedAt, closing.updatedAt) },
      tables: { metered: tableUnits(steady.totals as unknown as MeterSnapshot) },
      rows: [...costRows(steady.totals as unknown as MeterSnapshot, { ...run, readings: steady.readings, records: steady.records, seconds }), ...wholeRunTotals],
    },
  };
}
