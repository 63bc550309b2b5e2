/**
 * `npm run bench -- <section> [options]`: the system benchmark. Never part of the tests.
 *
 *   capacity  for each fleet size N: a fresh `npm start`, an alert subscriber and the real producer; goal-1 verdict
 *   cost      the billing meter's units and dollars per reading, when the stack's status carries a meter
 *   domain    `npm run bench:domain` and `npm run bench:handlers` (handler CPU per reading)
 *   dashboard the dashboard page with N unicorns moving (--n, default 10,000) in headless Chromium: fps and JS heap;
 *             printed only, and not part of `all`
 *   all       the three, in that order
 *
 * Rows are printed as they complete; docs/benchmarks.md (with its chart) is rewritten after each section.
 * Exit codes: 0 done, 1 a run failed (one line, with the failing process's last output), 2 bad flags, 130 Ctrl-C.
 */
import { relative, join } from 'node:path';
import { runMain } from '@wildrydes/cli-support';
import { defaultEndpointsFilePath, findRepoRoot } from '@wildrydes/local-aws';
import { parseBenchCommandLine, type BenchOptions } from './bench-options';
import { BenchError } from './bench.errors';
import { loadResults, writeResults } from './benchmark-docs';
import { COST_HEADERS, costCells, mergeCostRuns, type BenchmarkResults } from './benchmark-report';
import { runCapacitySection } from './capacity-section';
import { releaseEverythingNow } from './child-processes';
import { runCostSection } from './cost-runs';
import { runDashboardSection } from './dashboard-section';
import { runDomainSection } from './domain-section';
import type { BenchContext } from './load-run';
import { machineInfo } from './machine-info';
import { textTable } from './text-table';

const print = (text: string): void => void process.stdout.write(`${text}\n`);
const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** First Ctrl-C: stop the current run cleanly (stack stopped, temp dir removed). Another one a second later: kill everything now. */
function onInterrupt(controller: AbortController): void {
  let firstAt = 0;
  const handler = (): void => {
    if (!controller.signal.aborted) {
      firstAt = Date.now();
      log('\nbench: stopping the current run (Ctrl-C again to kill it at once)…');
      controller.abort();
    } else if (Date.now() - firstAt > 1_000) {
      // npm relays the terminal's Ctrl-C too: a copy within a second is the same keypress.
      releaseEverythingNow();
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function run(options: BenchOptions, context: BenchContext, command: string): Promise<void> {
  const docsDir = join(context.repoRoot, 'docs');
  let results: BenchmarkResults = options.writeDocs ? await loadResults(docsDir) : {};
  const stamp = () => ({ date: new Date().toISOString(), command, machine: machineInfo() });
  const save = async (): Promise<void> => {
    if (!options.writeDocs) return;
    const files = await writeResults(docsDir, results);
    log(`wrote ${files.map((file) => relative(context.repoRoot, file)).join(', ')}`);
  };
  const wanted = (section: BenchOptions['section']): boolean => options.section === section || options.section === 'all';

  if (wanted('capacity')) {
    print('== capacity ==');
    const started = stamp();
    const rows = await runCapacitySection(options.capacityPlans, context, print);
    const first = options.capacityPlans[0];
    // Each mode run replaces that mode's rows and keeps the other's.
    const capacity = { ...results.capacity };
    for (const mode of ['unpacked', 'packed'] as const) {
      const ofMode = rows.filter((row) => row.mode === mode);
      if (ofMode.length === 0) continue;
      capacity[mode] = { ...started, durationSeconds: (first?.durationMs ?? 0) / 1000, allowedLatenessSeconds: (first?.allowedLatenessMs ?? 60_000) / 1000, rows: ofMode };
    }
    results = { ...results, capacity };
    await save();
  }
  if (wanted('cost')) {
    print('== cost ==');
    const started = stamp();
    const outcome = await runCostSection(options.costPlans, context);
    if (outcome.kind === 'unavailable') {
      print(`cost: ${outcome.reason}.`);
      results = { ...results, cost: { ...started, unavailable: outcome.reason, runs: [] } };
    } else {
      print(textTable(COST_HEADERS, outcome.runs.flatMap(costCells)));
      const measured = { date: started.date, command: started.command };
      results = { ...results, cost: mergeCostRuns(results.cost, { ...started, runs: outcome.runs.map((run) => ({ ...run, measured })) }) };
    }
    await save();
  }
  if (options.section === 'dashboard') {
    print('== dashboard ==');
    const code = await runDashboardSection(context.repoRoot, options.dashboardUnicorns, options.quick, context.signal, print);
    if (code !== 0) throw new BenchError('DASHBOARD_BENCH_FAILED', `the dashboard page benchmark exited with ${code}`);
  }
  if (wanted('domain')) {
    print('== domain ==');
    const started = stamp();
    const { exitCode, output } = await runDomainSection(context.repoRoot, options.quick, context.signal, print);
    results = { ...results, domain: { ...started, exitCode, output } };
    await save();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseBenchCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  if (parsed.kind === 'exit') return parsed.code;
  const controller = new AbortController();
  onInterrupt(controller);
  process.on('exit', releaseEverythingNow);
  const context: BenchContext = { repoRoot: findRepoRoot(), endpointsFile: defaultEndpointsFilePath(), signal: controller.signal, log };
  try {
    await run(parsed.options, context, ['npm run bench --', ...argv].join(' '));
    return 0;
  } catch (error) {
    if (error instanceof BenchError && error.code === 'INTERRUPTED') {
      log('bench: interrupted; every process it started is stopped and its temp dirs are removed.');
      return 130;
    }
    if (error instanceof BenchError) {
      log(`bench: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    releaseEverythingNow();
  }
}

runMain('bench', main);
