import { startProcess } from './child-processes';
import { BenchError } from './bench.errors';

/**
 * Runs the dashboard page benchmark (tools/dashboard/bench/page-fps.bench.ts): N unicorns moving on the page in
 * Debian's headless Chromium, frames per second and JS heap. Printed only: the figure depends on the machine's
 * browser and load more than the product, so docs/benchmarks.md is left as it is.
 */
export async function runDashboardSection(repoRoot: string, unicorns: number, quick: boolean, signal: AbortSignal, echo: (line: string) => void): Promise<number> {
  const bench = startProcess('dashboard page benchmark', 'npx', [
    'tsx', '--tsconfig', 'tsconfig.json', 'tools/dashboard/bench/page-fps.bench.ts', '--unicorns', String(unicorns), ...(quick ? ['--seconds', '5'] : []),
  ], { cwd: repoRoot, onLine: echo });
  const stop = (): void => void bench.stop(5_000);
  signal.addEventListener('abort', stop, { once: true });
  const code = await bench.exited;
  signal.removeEventListener('abort', stop);
  await bench.stop(1_000);
  if (signal.aborted) throw new BenchError('INTERRUPTED', 'interrupted');
  return typeof code === 'number' ? code : 1;
}
