/**
 * `npm run local`: the local AWS runtime alone (Kinesis, DynamoDB, S3 stand-ins; no services, no fleet),
 * with the streams, tables and bucket provisioned and `.wildrydes/local.json` written, until Ctrl-C.
 *
 *   npm run local -- [--data-dir DIR] [--port-base N]
 */
import { relative } from 'node:path';
import { createAwsClients } from '@wildrydes/adapters/clients';
import { runMain } from '@wildrydes/cli-support';
import { allowedOriginsFromEnv, loadLocalEnvCommand, localEnvFilePath, portsFromBase, provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';
import { parseLocalCommandLine } from './local-options';
import { awsCliCommands } from './try-it';

const STARTUP_BUDGET_MS = 5_000;

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseLocalCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  if (parsed.kind === 'exit') return parsed.code;
  const { portBase, dataDir } = parsed.options;

  const t0 = performance.now();
  const runtime = await startLocalRuntime({
    ...(portBase === undefined ? {} : { ports: portsFromBase(portBase) }),
    ...(dataDir === undefined ? {} : { dataDir }),
    writeEndpointsFile: true,
    allowedOrigins: allowedOriginsFromEnv(process.env),
  });
  const tStarted = performance.now();
  const clients = createAwsClients(runtime.endpoints);
  const report = await provisionResources(clients)
    .catch(async (error: unknown) => {
      await runtime.stop();
      throw error;
    })
    .finally(() => clients.destroy());
  const tReady = performance.now();

  printBanner(runtime, dataDir, report, { total: tReady - t0, emulators: tStarted - t0, provisioning: tReady - tStarted });
  return waitForShutdown(runtime);
}

function printBanner(
  runtime: LocalRuntime,
  dataDir: string | undefined,
  report: { created: readonly string[]; existing: readonly string[] },
  timings: { total: number; emulators: number; provisioning: number },
): void {
  const { endpoints } = runtime;
  const ms = (value: number): string => `${Math.round(value)} ms`;
  console.log(
    [
      `Wild Rydes local stack ready in ${ms(timings.total)} (emulators ${ms(timings.emulators)}, provisioning ${ms(timings.provisioning)})`,
      ...(timings.total > STARTUP_BUDGET_MS ? [`  warning: start-up took longer than the ${ms(STARTUP_BUDGET_MS)} budget`] : []),
      '',
      `  region       ${endpoints.region}`,
      `  kinesis      ${endpoints.kinesis}`,
      `  dynamodb     ${endpoints.dynamodb}`,
      `  s3           ${endpoints.s3}   (objects as files under ${endpoints.s3DataDir})`,
      `  eventbridge  ${endpoints.eventbridge ?? 'not started by this runtime'}`,
      `  data         ${dataDir === undefined ? 'in memory: gone on exit (use --data-dir DIR to keep it)' : dataDir}`,
      `  endpoints    ${runtime.endpointsFile === undefined ? '-' : relative(process.cwd(), runtime.endpointsFile)}`,
      ...(runtime.endpointsFile === undefined ? [] : [`  AWS SDKs/CLI ${loadLocalEnvCommand(localEnvFilePath(runtime.endpointsFile))}   (sets AWS_ENDPOINT_URL_* and dummy credentials)`]),
      '',
      `  created: ${report.created.join(', ') || 'nothing'}`,
      `  kept:    ${report.existing.join(', ') || 'nothing'}`,
      '',
      'Try it (from the repository root):',
      ...awsCliCommands(endpoints).map((command) => `  ${command}`),
      '  SDK (TypeScript):',
      "    import { createAwsClients } from '@wildrydes/adapters/clients';",
      "    import { readLocalEndpoints } from '@wildrydes/local-aws';",
      "    import { ListStreamsCommand } from '@aws-sdk/client-kinesis';",
      '    const { kinesis } = createAwsClients(await readLocalEndpoints());',
      '    console.log(await kinesis.send(new ListStreamsCommand({})));',
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

function waitForShutdown(runtime: LocalRuntime): Promise<number> {
  return new Promise((resolveExitCode) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second Ctrl-C: do not wait; the runtime's exit hook still SIGKILLs the emulator host.
        process.exit(130);
      }
      stopping = true;
      console.log(`\n${signal}: stopping the local stack...`);
      runtime.stop().then(
        () => {
          console.log('stopped.');
          resolveExitCode(0);
        },
        (error: unknown) => {
          console.error('stop failed:', error);
          resolveExitCode(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void runtime.exited.then(async (exit) => {
      if (exit.requested) return;
      console.error(`the emulator host exited unexpectedly (code ${exit.code}, signal ${exit.signal}); stopping.`);
      await runtime.stop().catch(() => undefined);
      resolveExitCode(1);
    });
  });
}

runMain('local', main);
