import { afterEach, describe, expect, it } from 'vitest';
import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { FleetSimulation, RESOURCE_NAMES, type UnicornAlert } from '@wildrydes/domain';
import type { ReplayChaos, ReplayChaosCounts } from '@wildrydes/local-aws';
import { startLocalStack, type LocalStack } from '@wildrydes/local';
import type { ReconciliationReport } from '@wildrydes/reconcile';
import { inputAlertIds, reconcileStack, snapshotStack, until, type StackSnapshot } from './support/stack-snapshot';

const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
// Two and a half minutes of a fleet that ended minutes ago, so its minutes close as soon as the windows do.
const START = Math.floor((Date.now() - 6 * 60_000) / 60_000) * 60_000;
const RANGE = { from: START, to: START + 10 * 60_000 };
/** Each batch twice, one in six answered as failed (bisected), one in six abandoned mid-batch. */
const CHAOS: ReplayChaos = { seed: 20261202, redeliverEveryBatch: true, bisectShare: 1 / 6, crashShare: 1 / 6, crashWithinMs: 5 };

interface Run {
  readonly snapshot: StackSnapshot;
  readonly publishedAlertIds: readonly string[];
  readonly report: ReconciliationReport;
  readonly chaos: Record<string, ReplayChaosCounts>;
}

/** The same seeded input every time: 4 unicorns for 150 s, Bucephalus declining, poison, duplicates and late readings. */
function seededInput() {
  const sim = new FleetSimulation({ seed: 12, unicorns: 4, startTime: START, scenarios: { decliningUnicorn: 'Bucephalus', poisonEvery: 25, duplicateEvery: 9, lateEvery: 13, lateBySeconds: 20 } });
  return [...Array.from({ length: 150 }, () => sim.tick()).flat(), ...sim.flushLate()];
}

describe('replay: redelivered, bisected and crashed batches leave what one clean delivery leaves', () => {
  const stacks: LocalStack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
  });

  async function run(replayChaos: ReplayChaos | undefined): Promise<Run> {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    const alerts: UnicornAlert[] = [];
    const stack = await startLocalStack({
      ports: ANY_PORT, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2, uploadScanIntervalMs: 60_000,
      onAlert: (alert) => alerts.push(alert), log: () => undefined, ...(replayChaos === undefined ? {} : { replayChaos }),
    });
    stacks.push(stack);
    const records = seededInput();
    const encoder = new TextEncoder();
    const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
    // Puts of 40 records, so the mappings see many small batches to redeliver, bisect and crash.
    for (let i = 0; i < records.length; i += 40) {
      const outcome = await stream.put(records.slice(i, i + 40).map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) })));
      expect(outcome.rejected).toEqual([]);
    }

    // s3rver rewrites an object in place, so a query may catch one half-written while a redelivery rewrites it
    // (S3's PUT is atomic): such a read is retried like a count that is not there yet.
    const report = await until('reconcile to pass', () => reconcileStack(stack, RANGE, alerts).catch((error: Error) => ({ ok: false, failures: [error.message], lines: [] })), (r) => r.ok, 90_000);
    await stack.drain();
    return { snapshot: await snapshotStack(stack), publishedAlertIds: inputAlertIds(alerts), report, chaos: stack.replayChaosCounts() };
  }

  it('for health, aggregation (tumbling windows) and archival: tables, archive, quarantine, minutes and alert ids', async () => {
    // Act
    const clean = await run(undefined);
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
    const replayed = await run(CHAOS);

    // Assess: the replay mode did what it says, on all three services
    for (const service of ['health', 'aggregation', 'archival']) {
      const counts = replayed.chaos[service]!;
      expect(counts.redeliveries, service).toBeGreaterThan(0);
      expect(counts.forcedBisects + counts.crashes, service).toBeGreaterThan(0);
    }
    console.info(`replay suite: ${seededInput().length} records; chaos ${JSON.stringify(replayed.chaos)}`);

    // Both runs reconcile (counts in = counts out)
    expect(clean.report.failures).toEqual([]);
    expect(replayed.report.failures).toEqual([]);

    // health: UnicornHealth, unicorn by unicorn and shard by shard
    expect(replayed.snapshot.health).toEqual(clean.snapshot.health);
    // aggregation: every minute with the identity of every reading counted, and the minutes emitted
    expect(replayed.snapshot.summaries).toEqual(clean.snapshot.summaries);
    expect(replayed.snapshot.emittedMinutes).toEqual(clean.snapshot.emittedMinutes);
    // archival: the same readings, each line as written, as many lines (a redelivery rewrote its objects), the same quarantine
    expect(replayed.snapshot.archivedReadings).toEqual(clean.snapshot.archivedReadings);
    expect(replayed.snapshot.archivedLines).toBe(clean.snapshot.archivedLines);
    expect(replayed.snapshot.quarantine).toEqual(clean.snapshot.quarantine);
    // alerts: the same ids published and archived, each archived once
    expect(replayed.publishedAlertIds).toEqual(clean.publishedAlertIds);
    expect(replayed.snapshot.archivedAlertIds).toEqual(clean.snapshot.archivedAlertIds);
    expect(new Set(replayed.snapshot.archivedAlertIds).size).toBe(replayed.snapshot.archivedAlertIds.length);
    expect(clean.publishedAlertIds.length).toBeGreaterThanOrEqual(2);
    expect(clean.snapshot.summaries.length).toBeGreaterThan(0);
    expect(clean.snapshot.quarantine.length).toBeGreaterThan(0);
  }, 240_000);
});
