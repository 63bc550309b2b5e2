import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayChaos } from '@wildrydes/local-aws';
import type { LocalStack } from '@wildrydes/local';
import { runSeededInput, seededInput } from './support/seeded-run';

/** Each batch twice, one in six answered as failed (bisected), one in six abandoned mid-batch. */
// openWithBoth: the input is read in a few batches per shard, too few for the shares alone to bisect and crash each service.
const CHAOS: ReplayChaos = { seed: 20261202, redeliverEveryBatch: true, bisectShare: 1 / 6, crashShare: 1 / 6, crashWithinMs: 5, openWithBoth: true };

describe('replay: redelivered, bisected and crashed batches leave what one clean delivery leaves', () => {
  const stacks: LocalStack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
  });

  it('for health, aggregation (tumbling windows) and archival: tables, archive, quarantine, minutes and alert ids', async () => {
    // Act
    const clean = await runSeededInput();
    await clean.stack.stop();
    const replayed = await runSeededInput({ replayChaos: CHAOS });
    stacks.push(replayed.stack);

    // Assess: the replay mode did what it says, on all three services
    const chaos = replayed.stack.replayChaosCounts();
    for (const service of ['health', 'aggregation', 'archival']) {
      const counts = chaos[service]!;
      expect(counts.redeliveries, service).toBeGreaterThan(0);
      expect(counts.forcedBisects + counts.crashes, service).toBeGreaterThan(0);
    }
    console.info(`replay suite: ${seededInput().length} records; chaos ${JSON.stringify(chaos)}`);

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
  }, 300_000);
});
