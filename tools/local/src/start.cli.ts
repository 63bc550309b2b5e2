/**
 * `npm start`: the whole product on this machine — the AWS stand-ins, the four services wired as on AWS, and a
 * simulated fleet (the workshop's three unicorns first; Bucephalus declines so an alert fires within two
 * minutes). Prints the endpoints, every alert, and a live line of readings/s, summaries, alerts and quarantined
 * records. Ctrl-C stops everything.
 *
 *   npm start -- [--unicorns N] [--seed S] [--duration 10m] [--data-dir DIR]
 */
import { parseArgs } from 'node:util';
import { KinesisStreamReader, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { parseDuration } from '@wildrydes/cli-support';
import { FleetSimulation, RESOURCE_NAMES, type UnicornAlert } from '@wildrydes/domain';
import { startLocalStack } from './local-stack';

const USAGE = `Usage: npm start -- [options]

Runs Wild Rydes on this machine: local Kinesis, DynamoDB, S3 and EventBridge on 127.0.0.1, the health,
aggregation, archival and ingestion services, and a simulated fleet. Ctrl-C stops everything.

  --unicorns N     unicorns in the demo fleet (default 10; 0 runs the services with no fleet)
  --seed S         seed of the fleet (default: from the clock)
  --duration D     stop after D (e.g. 90s, 10m); default: until Ctrl-C
  --data-dir DIR   keep streams, tables, objects and checkpoints in DIR across restarts
  -h, --help       this text

From another terminal, while it runs: npm run producer -- --local, npm run consumer -- --local,
npm run query -- --local --named total-distance, curl -X POST http://127.0.0.1:4572/telemetry -d @reading.json`;

class UsageError extends Error {}

function durationOption(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--duration: "${text}" is not a duration like 90s, 10m or 1h`);
  return ms;
}

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      unicorns: { type: 'string' }, seed: { type: 'string' }, duration: { type: 'string' }, 'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const unicorns = Number(values.unicorns ?? 10);
  if (!Number.isInteger(unicorns) || unicorns < 0 || unicorns > 100_000) throw new UsageError(`--unicorns: expected a whole number from 0 to 100000, got "${values.unicorns}"`);
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed: expected a whole number, got "${values.seed}"`);
  return { help: values.help === true, unicorns, seed, durationMs: values.duration === undefined ? undefined : durationOption(values.duration), dataDir: values['data-dir'] };
}

const formatAlert = (a: UnicornAlert): string => {
  const what = a.vital === null ? a.kind : `${a.kind} ${a.vital} ${a.value} (threshold ${a.threshold})`;
  return `ALERT ${a.severity.padEnd(8)} ${a.name.padEnd(12)} ${what} at ${a.readingTime} UTC`;
};

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`start: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  // Lambda publishes metrics as EMF log lines; on a laptop they would drown the console.
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';

  const t0 = performance.now();
  let alerts = 0;
  const stack = await startLocalStack({
    writeEndpointsFile: true,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    onAlert: (alert) => {
      alerts++;
      process.stdout.write(`\r\x1b[K${formatAlert(alert)}\n`);
    },
  });
  const e = stack.runtime.endpoints;
  console.log(`Wild Rydes is running (ready in ${Math.round(performance.now() - t0)} ms).

  kinesis      ${e.kinesis}   streams ${RESOURCE_NAMES.telemetryStream}, ${RESOURCE_NAMES.summaryStream}
  dynamodb     ${e.dynamodb}   tables ${RESOURCE_NAMES.healthTable}, ${RESOURCE_NAMES.summaryTable}
  s3           ${e.s3}   bucket ${RESOURCE_NAMES.dataBucket} (files under ${e.s3DataDir})
  eventbridge  ${e.eventbridge}   bus ${RESOURCE_NAMES.eventBus}
  http         ${stack.ingestionUrl}/telemetry   (POST readings; upload files under uploads/ in the bucket)
  endpoints    .wildrydes/local.json
  fleet        ${options.unicorns === 0 ? 'none (outside producers only)' : `${options.unicorns} unicorns, seed ${options.seed}; Bucephalus is declining`}
`);

  const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
  const encoder = new TextEncoder();
  const fleet = options.unicorns === 0 ? undefined : new FleetSimulation({
    seed: options.seed, unicorns: options.unicorns, startTime: Date.now(),
    scenarios: options.unicorns >= 2 ? { decliningUnicorn: 'Bucephalus' } : {},
  });
  let sent = 0, failed = 0, sentAtLastStatus = 0, summaries = 0;
  const abort = new AbortController();
  const summaryCount = (async () => {
    for await (const _ of new KinesisStreamReader(stack.clients.kinesis, RESOURCE_NAMES.summaryStream).read({ from: 'TRIM_HORIZON', signal: abort.signal })) summaries++;
  })().catch(() => undefined);

  const tick = fleet === undefined ? undefined : setInterval(() => {
    const records = fleet.tick().map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) }));
    stream.put(records).then(
      (outcome) => { sent += outcome.accepted; failed += outcome.rejected.length; },
      (error: unknown) => { failed += records.length; console.error(`\rproducer: ${(error as Error).message}`); },
    );
  }, 1000);

  let lastStatus = performance.now();
  const status = setInterval(() => {
    const now = performance.now();
    const rate = ((sent - sentAtLastStatus) * 1000) / (now - lastStatus);
    sentAtLastStatus = sent;
    lastStatus = now;
    const line = `readings/s ${rate.toFixed(0).padStart(5)} | sent ${sent} | failed ${failed} | summaries emitted ${summaries} | alerts ${alerts} | quarantined records ${stack.quarantinedRecords()}`;
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${line}`);
    else console.log(line);
  }, 2000);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (options.durationMs !== undefined) setTimeout(resolve, options.durationMs).unref();
  });
  process.stdout.write('\nstopping…\n');
  if (tick) clearInterval(tick);
  clearInterval(status);
  abort.abort();
  await summaryCount;
  await stack.stop();
  console.log(`stopped. ${sent} readings sent, ${summaries} minute summaries emitted, ${alerts} alerts.`);
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(`start: ${(error as Error).message}`);
  process.exit(1);
});
