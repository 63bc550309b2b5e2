import { startProcess } from './child-processes';
import { BenchError } from './bench.errors';

/** Runs the existing `npm run bench:domain` (with `--quick` when asked) and returns what it printed. */
export async function runDomainSection(repoRoot: string, quick: boolean, signal: AbortSignal, echo: (line: string) => void): Promise<{ exitCode: number; output: string }> {
  const lines: string[] = [];
  const bench = startProcess('npm run bench:domain', 'npm', ['run', '--silent', 'bench:domain', ...(quick ? ['--', '--quick'] : [])], {
    cwd: repoRoot,
    onLine: (line) => {
      // Its own paths would tie the report to this machine.
      const text = line.replaceAll(repoRoot, '.');
      lines.push(text);
      echo(text);
    },
  });
  const stop = (): void => void bench.stop(5_000);
  signal.addEventListener('abort', stop, { once: true });
  const code = await bench.exited;
  signal.removeEventListener('abort', stop);
  await bench.stop(1_000);
  if (signal.aborted) throw new BenchError('INTERRUPTED', 'interrupted');
  return { exitCode: typeof code === 'number' ? code : 1, output: lines.join('\n') };
}
