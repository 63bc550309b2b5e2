/**
 * `npm run dashboard`: the live fleet dashboard on 127.0.0.1, against the local stack (`--local`) or the deployed
 * one (`--aws`, the default credential chain). Ctrl-C stops it.
 *
 * Exit codes: 0 after Ctrl-C / SIGTERM, 1 fatal error, 2 bad flags.
 */
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AthenaQueryEngine, DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { describeFatalError, onStopSignals, resolveTarget, runMain } from '@wildrydes/cli-support';
import { RESOURCE_NAMES, type QueryEngine, type UnicornAlert } from '@wildrydes/domain';
import { readLocalEndpoints } from '@wildrydes/local-aws';
import { parseDashboardCommandLine } from './dashboard-options';
import type { LiveSource } from './live-sources.port';
import { NoAlertSource, SqsAlertSource } from './sources/alert-sources';
import { startDashboard } from './start-dashboard';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseDashboardCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  if (parsed.kind === 'exit') return parsed.code;
  const { options } = parsed;
  const { target } = options;
  const stop = new AbortController();
  const removeSignals = onStopSignals(stop);
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const resolved = await resolveTarget(target.kind === 'aws'
      ? { local: false, region: target.region }
      : { local: target.endpointsFile === undefined, ...(target.endpointsFile === undefined ? {} : { endpointsFile: target.endpointsFile }), region: 'us-east-1' });
    closers.push(() => resolved.clients.destroy());
    let archive: QueryEngine;
    let alerts: LiveSource<UnicornAlert>;
    if (target.kind === 'aws') {
      const athena = new AthenaClient({ region: target.region });
      closers.push(() => athena.destroy());
      archive = new AthenaQueryEngine(athena, {
        workgroup: target.workgroup, database: target.database, pollIntervalMs: 250, timeoutMs: 60_000,
        ...(target.outputLocation === undefined ? {} : { outputLocation: target.outputLocation }),
      });
      if (target.queueUrl === undefined) {
        process.stderr.write('dashboard: no --queue-url (or WILDRYDES_ALERT_QUEUE_URL): the alerts panel stays empty; levels still come from the health table.\n');
        alerts = new NoAlertSource();
      } else {
        const sqs = new SQSClient({ region: target.region });
        closers.push(() => sqs.destroy());
        alerts = new SqsAlertSource(sqs, target.queueUrl);
      }
    } else {
      const endpoints = await readLocalEndpoints(target.endpointsFile);
      const duckdb = new DuckDbQueryEngine({ bucketDir: join(endpoints.s3DataDir, RESOURCE_NAMES.dataBucket) });
      closers.push(() => duckdb.close());
      archive = duckdb;
      process.stderr.write("dashboard: alerts are delivered to npm start's own dashboard (a rule on the local bus with an in-process target); here, levels come from the health table.\n");
      alerts = new NoAlertSource();
    }
    const dashboard = await startDashboard({
      clients: resolved.clients, alerts, archive, port: options.port, healthPollMs: options.healthPollMs,
      ...(options.tileUrl === undefined ? {} : { tileUrl: options.tileUrl }),
    });
    closers.unshift(() => dashboard.stop());
    process.stdout.write(`Wild Rydes dashboard: ${dashboard.url}  (${target.kind === 'aws' ? `AWS ${target.region}` : 'local stack'}; Ctrl-C stops it)\n`);
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  } catch (error) {
    process.stderr.write(`dashboard: ${describeFatalError(error, { service: 'AWS', endpoint: target.kind === 'aws' ? `region ${target.region}` : 'the local stack', resource: 'the Wild Rydes tables and streams' })}\n`);
    return 1;
  } finally {
    for (const close of closers) await close();
    removeSignals();
  }
}

runMain('dashboard', main);
