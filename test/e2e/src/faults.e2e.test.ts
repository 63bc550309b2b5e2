import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultedService, type FaultProxy } from '@wildrydes/local-aws';
import type { LocalStack } from '@wildrydes/local';
import { runSeededInput, seededInput } from './support/seeded-run';

const SERVICES: readonly FaultedService[] = ['kinesis', 'dynamodb', 's3', 'eventbridge'];
/** Per call, for every client of the services and mappings: 4 % throttled, 3 % 500s, 2 % dropped after taking effect, 4 % slow. */
const SHARES = { throttle: 0.04, serverError: 0.03, dropAfterEffect: 0.02, slow: 0.04 };

describe('faults: throttling, 500s, dropped connections, slow answers and an outage', () => {
  const stacks: LocalStack[] = [];
  const proxies: FaultProxy[] = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  it('lose nothing, double nothing, and raise each alert once by id, as a clean run does', async () => {
    // Prepare: a proxy in front of each stand-in, each with its own seed
    const faulty = Object.fromEntries(await Promise.all(SERVICES.map(async (service, i) => {
      const proxy = await startFaultProxy({ service, seed: 1000 + i, shares: SHARES, slowMs: 150 });
      proxies.push(proxy);
      return [service, proxy] as const;
    }))) as Record<FaultedService, FaultProxy>;

    // Act: a clean run, then the same input with every service call through the proxies, DynamoDB down for 2 s mid-run
    const clean = await runSeededInput();
    await clean.stack.stop();
    const faulted = await runSeededInput({
      serviceEndpoints: (endpoints) => Object.fromEntries(SERVICES.map((service) => {
        faulty[service].retarget(endpoints[service] as string);
        return [service, faulty[service].url];
      })),
    }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await faulty.dynamodb.outage(2000);
    });
    stacks.push(faulted.stack);

    // Assess: faults were met by every service
    const counts = Object.fromEntries(SERVICES.map((service) => [service, { ...faulty[service].counts }]));
    console.info(`faults suite: ${seededInput().length} records; faults ${JSON.stringify(counts)}`);
    for (const service of SERVICES) expect(faulty[service].counts.calls, service).toBeGreaterThan(0);
    const injected = SERVICES.reduce((n, s) => n + faulty[s].counts.throttled + faulty[s].counts.serverErrors + faulty[s].counts.dropped, 0);
    expect(injected).toBeGreaterThan(10);
    expect(faulty.dynamodb.counts.refused).toBeGreaterThan(0);

    // Nothing lost, nothing doubled: both runs reconcile, and leave the same tables, archive and quarantine
    expect(clean.report.failures).toEqual([]);
    expect(faulted.report.failures).toEqual([]);
    expect(faulted.snapshot.health).toEqual(clean.snapshot.health);
    expect(faulted.snapshot.summaries).toEqual(clean.snapshot.summaries);
    expect(faulted.snapshot.emittedMinutes).toEqual(clean.snapshot.emittedMinutes);
    expect(faulted.snapshot.archivedReadings).toEqual(clean.snapshot.archivedReadings);
    expect(faulted.snapshot.archivedLines).toBe(clean.snapshot.archivedLines);
    expect(faulted.snapshot.quarantine).toEqual(clean.snapshot.quarantine);
    // Alerts once by id: the same ids, each archived once (a PutEvents dropped after taking effect is sent again)
    expect(faulted.publishedAlertIds).toEqual(clean.publishedAlertIds);
    expect(faulted.snapshot.archivedAlertIds).toEqual(clean.snapshot.archivedAlertIds);
    expect(new Set(faulted.snapshot.archivedAlertIds).size).toBe(faulted.snapshot.archivedAlertIds.length);
  }, 300_000);
});
