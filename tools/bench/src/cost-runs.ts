import type { CostRun } from './benchmark-report';
import { asMeterSnapshot, costRows } from './cost-section';
import { readStatusFile } from './local-stack-process';
import { driveLoad, modeName, pause, shardsFor, withStack, type BenchContext, type LoadPlan } from './load-run';

export type CostOutcome = { readonly kind: 'measured'; readonly runs: CostRun[] } | { readonly kind: 'unavailable'; readonly reason: string };

const UNAVAILABLE = 'the billing meter is not available (`.wildrydes/status.json` has no `meter` field), so the cost section was skipped';

/**
 * Runs each plan on a fresh stack and prices it from the meter snapshot in the final `status.json` (written when
 * the stack stops). If the first stack's status has no `meter` field, stops at once: the meter is not available.
 */
export async function runCostSection(plans: readonly LoadPlan[], context: BenchContext): Promise<CostOutcome> {
  const runs: CostRun[] = [];
  for (const [i, plan] of plans.entries()) {
    context.log(`cost ${i + 1}/${plans.length}: N=${plan.unicorns} ${modeName(plan.pack)}, ${plan.durationMs / 1000} s`);
    const outcome = await withStack(context, plan.durationMs + plan.drainTimeoutMs + 10 * 60_000, shardsFor(plan.unicorns), async (stack) => {
      let status = await stack.readStatus();
      for (let waited = 0; status === undefined && waited < 10_000; waited += 250) {
        await pause(250, context.signal);
        status = await stack.readStatus();
      }
      if (status?.meter === undefined) return undefined;
      const load = await driveLoad(stack, plan, context);
      return { statusFile: stack.statusFile, load };
    // Batched as deployed (20 s windows, not the 1 s `npm start` uses to feel live): invocations and S3 objects as on AWS.
    }, { deployedWindows: true });
    if (outcome === undefined) return { kind: 'unavailable', reason: UNAVAILABLE };
    // The stack writes its status once more as it stops: the meter's final totals.
    const snapshot = asMeterSnapshot((await readStatusFile(outcome.statusFile))?.meter);
    if (snapshot === undefined) return { kind: 'unavailable', reason: 'the `meter` field of `.wildrydes/status.json` does not have the expected shape' };
    const { readings, records, seconds } = outcome.load.producer;
    runs.push({ unicorns: plan.unicorns, pack: plan.pack, readings, seconds, rows: costRows(snapshot, { unicorns: plan.unicorns, readings, records, seconds, shards: shardsFor(plan.unicorns) }) });
  }
  return { kind: 'measured', runs };
}
