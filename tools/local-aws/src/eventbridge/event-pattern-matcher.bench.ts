/**
 * Throughput of the local EventBridge: matcher checks per second for five realistic rules against unicorn-alert-like
 * events, then PutEvents events per second through the real SDK, 10 entries per call.
 * Run from the repository root: npx tsx --tsconfig tsconfig.json tools/local-aws/src/eventbridge/event-pattern-matcher.bench.ts
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { performance } from 'node:perf_hooks';
import { compileEventPattern, matchesEventPattern } from '@wildrydes/adapters/eventbridge';
import { startLocalEventBridge } from './local-event-bridge-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RULES: readonly object[] = [
  { source: ['wildrydes.unicorn-health'], 'detail-type': ['unicorn-alert'] },
  { source: ['wildrydes.unicorn-health'], 'detail-type': ['unicorn-alert'], detail: { severity: ['CRITICAL'], healthPoints: [{ numeric: ['<', 20] }] } },
  { source: [{ prefix: 'wildrydes.' }], detail: { unicorn: [{ 'anything-but': { prefix: 'test-' } }], magicPoints: [{ numeric: ['>=', 0, '<', 50] }] } },
  { 'detail-type': [{ 'equals-ignore-case': 'UNICORN-ALERT' }], detail: { $or: [{ reasons: ['LOW_HEALTH'] }, { distance: [{ numeric: ['>', 1000] }] }] } },
  { source: ['wildrydes.unicorn-health'], resources: [{ wildcard: 'arn:aws:wildrydes:*:unicorn/Shadow*' }], detail: { acknowledgedBy: [{ exists: false }] } },
];

const UNICORNS = ['Shadowfax', 'Rocinante', 'Bucephalus', 'Pegasus', 'Epona', 'test-Blinky', 'Shadowmere', 'Artax'];

function alertDetail(index: number): Record<string, unknown> {
  return {
    unicorn: UNICORNS[index % UNICORNS.length],
    severity: index % 3 === 0 ? 'CRITICAL' : 'WARNING',
    healthPoints: (index * 7) % 150,
    magicPoints: (index * 13) % 150,
    distance: (index * 97) % 2000,
    reasons: index % 2 === 0 ? ['LOW_HEALTH', 'LOW_MAGIC'] : ['LOW_MAGIC'],
    windowStart: '2026-03-01T12:34:00Z',
  };
}

function alertEvent(index: number): object {
  const detail = alertDetail(index);
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    'detail-type': 'unicorn-alert',
    source: 'wildrydes.unicorn-health',
    account: '000000000000',
    time: '2026-03-01T12:35:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:wildrydes:us-east-1:unicorn/${String(detail.unicorn)}`],
    detail,
  };
}

function benchMatcher(): void {
  const compiled = RULES.map((rule) => compileEventPattern(rule));
  const events = Array.from({ length: 1_000 }, (_, index) => alertEvent(index));
  const rounds = 1_000;
  let matches = 0;
  for (const event of events) for (const rule of compiled) if (matchesEventPattern(rule, event)) matches += 1; // warm-up
  matches = 0;
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const event of events) {
      for (const rule of compiled) if (matchesEventPattern(rule, event)) matches += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const checks = rounds * events.length * compiled.length;
  console.log(`matcher: ${(checks / seconds / 1e6).toFixed(2)}M checks/s (${checks} checks in ${seconds.toFixed(2)} s, ${((matches / checks) * 100).toFixed(0)}% matched)`);
}

async function benchPutEvents(): Promise<void> {
  const bridge = await startLocalEventBridge({ port: 0 });
  const client = new EventBridgeClient({ endpoint: bridge.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    for (const [index, rule] of RULES.entries()) {
      await client.send(new PutRuleCommand({ Name: `rule-${index}`, EventPattern: JSON.stringify(rule) }));
      await client.send(new PutTargetsCommand({ Rule: `rule-${index}`, Targets: [{ Id: 'count', Arn: 'arn:local:count' }] }));
    }
    bridge.registerTargetHandler('arn:local:count', () => undefined);
    const batch = (offset: number): PutEventsRequestEntry[] => Array.from({ length: 10 }, (_, index) => ({
      Source: 'wildrydes.unicorn-health',
      DetailType: 'unicorn-alert',
      Resources: [`arn:aws:wildrydes:us-east-1:unicorn/${UNICORNS[(offset + index) % UNICORNS.length] ?? ''}`],
      Detail: JSON.stringify(alertDetail(offset + index)),
    }));
    for (let call = 0; call < 50; call += 1) await client.send(new PutEventsCommand({ Entries: batch(call * 10) })); // warm-up
    for (const inFlight of [1, 8]) {
      const calls = 1_000;
      let next = 0;
      const started = performance.now();
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (next < calls) {
          const call = next;
          next += 1;
          const result = await client.send(new PutEventsCommand({ Entries: batch(call * 10) }));
          if (result.FailedEntryCount !== 0) throw new Error('PutEvents failed entries');
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      console.log(`PutEvents x10, ${inFlight} in flight: ${Math.round((calls * 10) / seconds)} events/s (${calls} calls in ${seconds.toFixed(2)} s)`);
    }
  } finally {
    client.destroy();
    await bridge.close();
  }
}

benchMatcher();
await benchPutEvents();
