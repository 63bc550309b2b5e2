import { runToEnd } from './child-processes';

/**
 * Runs `npm run bench:domain` (the domain alone), `npm run bench:handlers` (each stream service's handler CPU per
 * reading against bare `JSON.parse`) and `npm run bench:stand-ins` (what a conditional put costs dynalite and its
 * SDK caller), with `--quick` when asked, and returns what they printed.
 */
export async function runDomainSection(repoRoot: string, quick: boolean, signal: AbortSignal, echo: (line: string) => void): Promise<{ exitCode: number; output: string }> {
  const outputs: string[] = [];
  let exitCode = 0;
  for (const script of ['bench:domain', 'bench:handlers', 'bench:stand-ins']) {
    const result = await runScript(repoRoot, script, quick, signal, echo);
    outputs.push(result.output);
    if (result.exitCode !== 0) exitCode = result.exitCode;
  }
  return { exitCode, output: outputs.join('\n') };
}

async function runScript(repoRoot: string, script: string, quick: boolean, signal: AbortSignal, echo: (line: string) => void): Promise<{ exitCode: number; output: string }> {
  const lines: string[] = [];
  const exitCode = await runToEnd(`npm run ${script}`, 'npm', ['run', '--silent', script, ...(quick ? ['--', '--quick'] : [])], {
    cwd: repoRoot,
    onLine: (line) => {
      // Its own paths would tie the report to this machine.
      const text = line.replaceAll(repoRoot, '.');
      lines.push(text);
      echo(text);
    },
  }, signal);
  return { exitCode, output: lines.join('\n') };
}
