/**
 * `npm start`: the whole product on this machine — the AWS stand-ins, the four services wired as on AWS, and a
 * simulated fleet (the workshop's three unicorns first; Bucephalus declines so an alert fires within two
 * minutes). Prints the endpoints, every alert, and a live line of readings/s, summaries, alerts and quarantined
 * records. Ctrl-C stops everything.
 *
 *   npm start -- [--unicorns N] [--seed S] [--duration 10m] [--data-dir DIR] [--dashboard-port N | --no-dashboard]
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { KinesisStreamReader, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { allowedOriginsFromEnv, defaultEndpointsFilePath, loadLocalEnvCommand, localEnvFilePath } from '@wildrydes/local-aws';
import { runMain } from '@wildrydes/cli-support';
import { FleetSimulation, RESOURCE_NAMES, type UnicornAlert } from '@wildrydes/domain';
import { parseStartCommandLine } from './local-options';
import { startLocalStack } from './local-stack';
import { followImportReports, formatImportLine } from './import-report-feed';
import { awsCliCommands, curlCommands, uploadCommands } from './try-it';

/** On a terminal the live status line is redrawn in place, so a line printed over it clears it first. */
const CLEAR_LINE = process.stdout.isTTY ? '\r\x1b[K' : '';
const printLine = (line: string): void => {
  process.stdout.write(`${CLEAR_LINE}${line}\n`);
};
const printError = (line: string): void => {
  if (CLEAR_LINE !== '') process.stdout.write(CLEAR_LINE);
  process.stderr.write(`${line}\n`);
};

const printReload = (outcome: { service: string; changed: string; ms: number } | { service: string; changed: string; error: Error }): void => {
  if ('error' in outcome) {
    printError(`RELOAD ${outcome.service} failed (${outcome.changed}); the previous code keeps running:\n${outcome.error.message.split('\n').slice(0, 6).join('\n')}`);
  } else {
    printLine(`RELOAD ${outcome.service}: handlers rebuilt after ${outcome.changed} changed (${Math.round(outcome.ms)} ms)`);
  }
};

const formatAlert = (a: UnicornAlert): string => {
  const what = a.vital === null ? a.kind : `${a.kind} ${a.vital} ${a.value} (threshold ${a.threshold})`;
  return `ALERT ${a.severity.padEnd(8)} ${a.name.padEnd(12)} ${what} at ${a.readingTime} UTC`;
};

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseStartCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) }, Date.now());
  if (parsed.kind === 'exit') return parsed.code;
  const { options } = parsed;
  // Lambda publishes metrics as EMF log lines; on a laptop they would drown the console.
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';

  const t0 = performance.now();
  let alerts = 0;
  const stack = await startLocalStack({
    writeEndpointsFile: true,
    telemetryShards: options.shards,
    // 300 s is Lambda's maximum: each mapping then keeps its deployed window (STREAM_MAPPINGS).
    ...(options.deployedWindows ? { batchingWindowSeconds: 300 } : {}),
    ...(options.dashboardPort === undefined ? {} : { dashboard: { port: options.dashboardPort } }),
    allowedOrigins: allowedOriginsFromEnv(process.env),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.watch ? { watch: { onReload: (outcome) => printReload(outcome) } } : {}),
    onAlert: (alert) => {
      alerts++;
      printLine(formatAlert(alert));
    },
  });
  const e = stack.runtime.endpoints;
  const envFile = localEnvFilePath(stack.runtime.endpointsFile ?? defaultEndpointsFilePath());
  console.log(`Wild Rydes is running (ready in ${Math.round(performance.now() - t0)} ms).

  kinesis      ${e.kinesis}   streams ${RESOURCE_NAMES.telemetryStream}, ${RESOURCE_NAMES.summaryStream}
  dynamodb     ${e.dynamodb}   tables ${RESOURCE_NAMES.healthTable}, ${RESOURCE_NAMES.summaryTable}
  s3           ${e.s3}   bucket ${RESOURCE_NAMES.dataBucket} (files under ${e.s3DataDir})
  eventbridge  ${e.eventbridge}   bus ${RESOURCE_NAMES.eventBus}
  http         ${stack.ingestionUrl}/telemetry   (POST readings; upload files under uploads/ in the bucket)
  dashboard    ${stack.dashboardUrl ?? 'off (--no-dashboard)'}
  endpoints    ${relative(process.cwd(), stack.runtime.endpointsFile ?? defaultEndpointsFilePath())}, and for any AWS SDK or CLI: ${loadLocalEnvCommand(envFile)}
  watch        ${options.watch ? 'on: editing a service, the domain or the adapters reloads the services using it' : 'off (npm start -- --watch reloads services on edits)'}
  fleet        ${options.unicorns === 0 ? 'none (outside producers only)' : `${options.unicorns} unicorns, seed ${options.seed}; Bucephalus is declining`}

Try it from another terminal (from the repository root):
${[...curlCommands(stack.ingestionUrl), ...uploadCommands(), ...awsCliCommands(e)].map((command) => `  ${command}`).join('\n')}
`);
  const importReports = followImportReports(stack.clients.s3, RESOURCE_NAMES.dataBucket, {
    intervalMs: 1000,
    onReport: (report) => printLine(formatImportLine(report)),
    onError: (error) => printError(`import reports: ${(error as Error).message}`),
  });

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
      (error: unknown) => { failed += records.length; printError(`producer: ${(error as Error).message}`); },
    );
  }, 1000);

  // For scripts (the benchmark): the same figures and each service's lag, as JSON, every second and at the end.
  const statusFile = join(dirname(defaultEndpointsFilePath()), 'status.json');
  const writeStatus = (): Promise<void> => writeFile(statusFile, JSON.stringify({
    updatedAt: Date.now(), sent, failed, summariesEmitted: summaries, alerts, quarantinedRecords: stack.quarantinedRecords(),
    services: stack.streamServiceStats(), meter: stack.meter.snapshot(),
  }, null, 2)).catch(() => undefined);
  const statusWriter = setInterval(() => void writeStatus(), 1000);

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
  process.stdout.write(`${process.stdout.isTTY ? '\n' : ''}stopping…\n`);
  if (tick) clearInterval(tick);
  clearInterval(status);
  await importReports.stop();
  clearInterval(statusWriter);
  abort.abort();
  await summaryCount;
  await writeStatus();
  await stack.stop();
  console.log(`stopped. ${sent} readings sent, ${summaries} minute summaries emitted, ${alerts} alerts.\n\nWhat AWS would have billed the services for:\n${stack.meter.formatTotals()}`);
  return 0;
}

runMain('start', main);
