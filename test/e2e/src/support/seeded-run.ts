import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { FleetSimulation, RESOURCE_NAMES, type SimulatedRecord, type UnicornAlert } from '@wildrydes/domain';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '@wildrydes/local';
import type { ReconciliationReport } from '@wildrydes/reconcile';
import { inputAlertIds, reconcileStack, snapshotStack, until, type StackSnapshot } from './stack-snapshot';

const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
// Two and a half minutes of a fleet that ended minutes ago, so its minutes close as soon as the windows do.
export const SEEDED_START = Math.floor((Date.now() - 6 * 60_000) / 60_000) * 60_000;
export const SEEDED_RANGE = { from: SEEDED_START, to: SEEDED_START + 10 * 60_000 };

/** The same seeded input every time: 4 unicorns for 150 s, Bucephalus declining, poison, duplicates and late readings. */
export function seededInput(): SimulatedRecord[] {
  const sim = new FleetSimulation({
    seed: 12, unicorns: 4, startTime: SEEDED_START,
    scenarios: { decliningUnicorn: 'Bucephalus', poisonEvery: 25, duplicateEvery: 9, lateEvery: 13, lateBySeconds: 20 },
  });
  return [...Array.from({ length: 150 }, () => sim.tick()).flat(), ...sim.flushLate()];
}

export interface SeededRun {
  readonly snapshot: StackSnapshot;
  readonly publishedAlertIds: readonly string[];
  readonly report: ReconciliationReport;
  readonly stack: LocalStack;
}

/**
 * The whole stack on free ports with 2-s aggregation windows, the seeded input put on the stream in puts of 40
 * records (many small batches), `during` run while the services work, then waited for until `reconcile` passes.
 * The caller stops the stack.
 */
export async function runSeededInput(options: Partial<LocalStackOptions> = {}, during?: (stack: LocalStack) => Promise<void>): Promise<SeededRun> {
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  const alerts: UnicornAlert[] = [];
  const stack = await startLocalStack({
    ports: ANY_PORT, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2,
    onAlert: (alert) => alerts.push(alert), log: () => undefined, ...options,
  });
  try {
    const records = seededInput();
    const encoder = new TextEncoder();
    const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
    const working = during?.(stack);
    for (let i = 0; i < records.length; i += 40) {
      const outcome = await stream.put(records.slice(i, i + 40).map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) })));
      if (outcome.rejected.length > 0) throw new Error(`the stream refused ${outcome.rejected.length} records`);
    }
    await working;
    // s3rver rewrites an object in place, so a query may catch one half-written while a redelivery rewrites it
    // (S3's PUT is atomic): such a read is retried like a count that is not there yet.
    const report = await until('reconcile to pass', () => reconcileStack(stack, SEEDED_RANGE, alerts)
      .catch((error: Error) => ({ ok: false, failures: [error.message], lines: [] })), (r) => r.ok, 120_000);
    // The newest minutes wait in the aggregation's tumbling windows (2 s here) until their final invocation; a
    // snapshot taken before that would differ from run to run by when the windows happened to end.
    await stack.drain(120_000, { closedWindows: true });
    return { snapshot: await snapshotStack(stack), publishedAlertIds: inputAlertIds(alerts), report, stack };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
