import { createAwsClients } from '@wildrydes/adapters/clients';
import { subscribeToAlerts } from './alert-subscriber';
import { BenchError } from './bench.errors';
import { readingPhaseMs } from './capacity-measures';
import { buildCapacityRow } from './capacity-row';
import { CAPACITY_HEADERS, capacityCells, capacitySummary, type CapacityRow } from './capacity-report';
import { DECLINING_UNICORN, driveLoad, modeName, pause, shardsFor, withStack, type BenchContext, type LoadPlan } from './load-run';
import { countSummaryItems, queryAlertReadings, queryArchive, readSummaryStream } from './run-observations';
import { textTable } from './text-table';


export interface CapacityPlan extends LoadPlan {
  readonly allowedLatenessMs: number;
}

/** One row: a fresh stack, an alert subscriber, the producer, then the measurements, then the stack stopped. */
export async function runCapacityRow(plan: CapacityPlan, context: BenchContext): Promise<CapacityRow> {
  const lifetimeMs = plan.durationMs + plan.drainTimeoutMs + 10 * 60_000;
  return withStack(context, lifetimeMs, shardsFor(plan.unicorns), async (stack) => {
    const eventbridge = stack.endpoints.eventbridge;
    if (eventbridge === undefined) throw new BenchError('STACK_FAILED', 'the stack runs no EventBridge stand-in');
    const clients = createAwsClients(stack.endpoints);
    const subscription = await subscribeToAlerts(eventbridge);
    try {
      const load = await driveLoad(stack, plan, context);
      // Every alert the bus delivered is counted by the stack's console subscriber; wait until ours has them too.
      const settleUntil = Date.now() + 10_000;
      while (new Set(subscription.alerts.map((a) => a.alertId)).size < (load.lastStatus?.alerts ?? 0) && Date.now() < settleUntil) {
        await pause(200, context.signal);
      }
      context.log('  measuring: archive (DuckDB), summary table, summary stream…');
      const archive = await queryArchive(context.repoRoot, DECLINING_UNICORN);
      // Vital alerts about other unicorns are checked against the readings they name: a random walk may cross 100.
      const alertReadings = await queryAlertReadings(context.repoRoot, subscription.alerts.filter((alert) => alert.name !== DECLINING_UNICORN && alert.vital != null));
      const { items } = await countSummaryItems(clients.dynamodb);
      const summaries = await readSummaryStream(clients.kinesis);
      return buildCapacityRow({
        unicorns: plan.unicorns,
        pack: plan.pack,
        durationSeconds: plan.durationMs / 1000,
        decliningUnicorn: DECLINING_UNICORN,
        declinerPhaseMs: readingPhaseMs(plan.seed, plan.unicorns, DECLINING_UNICORN) ?? 0,
        allowedLatenessMs: plan.allowedLatenessMs,
        producer: load.producer,
        drained: load.drained,
        drainSeconds: load.drainSeconds,
        activeSeconds: load.activeSeconds,
        processedRecords: load.processedRecords,
        maxLagMs: load.maxLagMs,
        alerts: [...subscription.alerts],
        archive,
        alertReadings,
        summaryItems: items,
        summaries,
      });
    } finally {
      await subscription.stop().catch(() => undefined);
      clients.destroy();
    }
  });
}

/**
 * Runs the plans in order, printing each row as it completes; returns every row measured. A row whose stack could
 * not start (STACK_FAILED) is reported and skipped, so the rows before and after it still reach the docs.
 */
export async function runCapacitySection(
  plans: readonly CapacityPlan[], context: BenchContext, print: (text: string) => void, runRow = runCapacityRow,
): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  const skipped: string[] = [];
  for (const [i, plan] of plans.entries()) {
    const name = `N=${plan.unicorns} ${modeName(plan.pack)}`;
    context.log(`capacity ${i + 1}/${plans.length}: ${name}, ${plan.durationMs / 1000} s`);
    try {
      rows.push(await runRow(plan, context));
    } catch (error) {
      if (!(error instanceof BenchError && error.code === 'STACK_FAILED')) throw error;
      skipped.push(name);
      print(`${name}: not measured, the stack did not start: ${error.message.split('\n').find((line) => /error/i.test(line)) ?? error.message.split('\n')[0]}`);
      print('');
      continue;
    }
    print(textTable(CAPACITY_HEADERS, [capacityCells(rows.at(-1) as CapacityRow)]));
    print('');
  }
  if (rows.length > 1) print(textTable(CAPACITY_HEADERS, rows.map(capacityCells)));
  for (const line of capacitySummary(rows)) print(line);
  if (skipped.length > 0) print(`not measured (the stack did not start): ${skipped.join(', ')}`);
  print(`(summaries late: more than 15 s + ${plans[0] === undefined ? 60 : plans[0].allowedLatenessMs / 1000} s allowed lateness after their minute's end, or never emitted)`);
  return rows;
}
