/**
 * `reconcile`: counts in = counts out for a time range, locally or on AWS (see buildReconcileCommand for flags).
 *
 *   npm run reconcile -- --local [--from ISO] [--to ISO] [--published-alerts FILE] [--format json]
 *   npm run reconcile -- --aws --region eu-west-1 --from 2026-12-02T10:00Z
 *
 * Exit codes: 0 reconciled, 1 not reconciled (the failing lines are named), 2 bad flags, 3 a count could not be read.
 */
import { readFile } from 'node:fs/promises';
import { readLocalEndpoints } from '@wildrydes/local-aws';
import { runMain } from '@wildrydes/cli-support';
import { gatherCounts, type PublishedAlert } from './count-sources';
import { openAwsSources, openLocalSources, type OpenedSources } from './open-sources';
import { parsePublishedAlerts, parseReconcileCommandLine, UsageError, type ReconcileOptions } from './reconcile-options';
import { formatReport, reconcile } from './reconciliation';

async function main(argv: readonly string[]): Promise<number> {
  let options: ReconcileOptions;
  let published: PublishedAlert[] | undefined;
  try {
    const parsed = parseReconcileCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) }, Date.now());
    if (parsed.kind === 'exit') return parsed.code;
    options = parsed.options;
    published = options.publishedAlerts === undefined ? undefined : parsePublishedAlerts(await readFile(options.publishedAlerts, 'utf8'));
  } catch (error) {
    if (!(error instanceof UsageError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    process.stderr.write(`reconcile: ${(error as Error).message}\n(run reconcile --help for usage)\n`);
    return 2;
  }

  let opened: OpenedSources | undefined;
  try {
    const { target } = options;
    if (target.kind === 'aws' && target.region !== undefined) process.env['AWS_REGION'] = target.region;
    opened = target.kind === 'aws' ? openAwsSources(target, published) : openLocalSources(await readLocalEndpoints(target.endpointsFile), published);
    const counts = await gatherCounts(opened.sources, { from: options.from, to: options.to });
    const report = reconcile(counts);
    process.stdout.write(options.format === 'json' ? JSON.stringify({ ...report, counts }, null, 2) + '\n' : formatReport(report, counts.range));
    if (!report.ok) process.stderr.write(`reconcile: not reconciled: ${report.failures.join('; ')}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`reconcile: could not count: ${(error as Error).message.split('\n')[0]}\n`);
    return 3;
  } finally {
    await opened?.close();
  }
}

runMain('reconcile', main);
