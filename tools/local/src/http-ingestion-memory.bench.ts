/**
 * Issue 12, defect 4: one POST of 1 MiB of one-character bad lines used to answer 53 MB and take the process to
 * 1.2 GB; 16 in parallel reached 4.7 GB and a valid POST timed out. This measures it again on the whole local
 * stack (services in this process, stand-ins in the child): peak RSS of this process while 16 such requests run
 * in parallel, their answer sizes, and a valid POST sent in the middle of them. Prints figures; asserts nothing.
 *
 *   npx tsx --tsconfig tsconfig.json tools/local/src/http-ingestion-memory.bench.ts
 */
import { startLocalStack } from './local-stack';

const PARALLEL = 16;
const BODY = Buffer.from('x\n'.repeat(512 * 1024)); // 1 MiB: 524,288 bad lines
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  const stack = await startLocalStack({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 }, log: () => undefined });
  try {
    const post = (body: Buffer | string) => fetch(`${stack.ingestionUrl}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const started = performance.now();
    const bad = Array.from({ length: PARALLEL }, async () => {
      const response = await post(BODY);
      const text = await response.text();
      return { status: response.status, bytes: Buffer.byteLength(text), ms: performance.now() - started };
    });
    // A valid reading sent while the bad ones are being worked on.
    const validStarted = performance.now();
    const reading = JSON.stringify({ Name: 'Shadowfax', StatusTime: new Date().toISOString(), Latitude: 40.7, Longitude: -73.9, Distance: 1, MagicPoints: 150, HealthPoints: 150 });
    const valid = post(reading).then(async (response) => ({ status: response.status, ms: performance.now() - validStarted, body: await response.text() }));
    const results = await Promise.all(bad);
    const validResult = await valid;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const slowest = Math.max(...results.map((r) => r.ms));
    console.log(`16 × 1 MiB of bad lines in parallel (${(BODY.length / 1024 / 1024).toFixed(0)} MiB each, ${BODY.length / 2} lines):`);
    console.log(`  statuses ${[...new Set(results.map((r) => r.status))].join(', ')}; answer ${results[0]?.bytes} bytes each; all answered in ${(slowest / 1000).toFixed(1)} s`);
    console.log(`  RSS of the process (services + HTTP server): ${mb(before)} before, peak ${mb(peak)} (+${mb(peak - before)})`);
    console.log(`  a valid POST sent meanwhile: ${validResult.status} in ${(validResult.ms / 1000).toFixed(2)} s`);
    console.log(`  quarantine records kept: ${stack.quarantinedRecords()} (parts of 2,000 lines)`);
  } finally {
    await stack.stop();
  }
}

await main();
