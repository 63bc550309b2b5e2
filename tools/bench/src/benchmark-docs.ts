import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capacityChartSvg } from './capacity-chart';
import { CHART_FILE, capacityRows, renderBenchmarksMarkdown, type BenchmarkResults } from './benchmark-report';

const RESULTS_FILE = 'benchmarks.json';

/** The sections kept from earlier runs (docs/benchmarks.json), so one section can be rerun without losing the others. */
export async function loadResults(docsDir: string): Promise<BenchmarkResults> {
  try {
    return JSON.parse(await readFile(join(docsDir, RESULTS_FILE), 'utf8')) as BenchmarkResults;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** Overwrites docs/benchmarks.md, docs/benchmarks.json and, with capacity rows, docs/benchmarks-capacity.svg. */
export async function writeResults(docsDir: string, results: BenchmarkResults): Promise<string[]> {
  const written = [join(docsDir, 'benchmarks.md'), join(docsDir, RESULTS_FILE)];
  await writeFile(written[0] as string, renderBenchmarksMarkdown(results));
  await writeFile(written[1] as string, `${JSON.stringify(results, null, 2)}\n`);
  if (results.capacity !== undefined) {
    written.push(join(docsDir, CHART_FILE));
    await writeFile(written[2] as string, capacityChartSvg(capacityRows(results.capacity)));
  }
  return written;
}
