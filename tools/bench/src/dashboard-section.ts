import { runToEnd } from './child-processes';

/**
 * Runs the dashboard page benchmark (tools/dashboard/bench/page-fps.bench.ts): N unicorns moving on the page in
 * Debian's headless Chromium, frames per second and JS heap. Printed only: the figure depends on the machine's
 * browser and load more than the product, so docs/benchmarks.md is left as it is.
 */
export async function runDashboardSection(repoRoot: string, unicorns: number, quick: boolean, signal: AbortSignal, echo: (line: string) => void): Promise<number> {
  return runToEnd('dashboard page benchmark', 'npx', [
    'tsx', '--tsconfig', 'tsconfig.json', 'tools/dashboard/bench/page-fps.bench.ts', '--unicorns', String(unicorns), ...(quick ? ['--seconds', '5'] : []),
  ], { cwd: repoRoot, onLine: echo }, signal);
}
