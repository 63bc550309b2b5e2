/**
 * Start-up benchmark of the local runtime (not a test): median of 5 cold starts to "ports reported", then the
 * time to provision the domain resources, and the time stop() takes.
 * Run (from the repository root): npx tsx --tsconfig tsconfig.json tools/local-aws/src/runtime/local-runtime.bench.ts
 */
import { createAwsClients } from '@wildrydes/adapters/clients';
import { provisionResources } from './provision-resources';
import { startLocalRuntime } from './start-local-runtime';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const RUNS = 5;
const ANY_FREE_PORTS = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } as const;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const ms = (value: number): string => `${value.toFixed(0)} ms`;

const startTimes: number[] = [];
const provisionTimes: number[] = [];
const stopTimes: number[] = [];
for (let run = 1; run <= RUNS; run += 1) {
  const t0 = performance.now();
  const runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS });
  const t1 = performance.now();
  const clients = createAwsClients(runtime.endpoints);
  try {
    await provisionResources(clients);
  } finally {
    clients.destroy();
  }
  const t2 = performance.now();
  await runtime.stop();
  const t3 = performance.now();
  startTimes.push(t1 - t0);
  provisionTimes.push(t2 - t1);
  stopTimes.push(t3 - t2);
  console.log(`run ${run}: start ${ms(t1 - t0)}, provision ${ms(t2 - t1)}, stop ${ms(t3 - t2)}`);
}

console.log(`\nstart-up (fork + kinesalite + dynalite + s3rver listening), median of ${RUNS}: ${ms(median(startTimes))}`);
console.log(`provision (2 streams, 2 tables, 1 bucket, all ACTIVE), median of ${RUNS}: ${ms(median(provisionTimes))}`);
console.log(`start-up + provision, median: ${ms(median(startTimes.map((s, i) => s + (provisionTimes[i] as number))))}`);
console.log(`stop, median of ${RUNS}: ${ms(median(stopTimes))}`);
