import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Each tool's tests run from the tool's folder (vitest's root), whose package.json names the bin under test.
const TOOL_DIR = process.cwd();

/** The tool's own `bin` (what `npx wildrydes-<tool>` runs), so the tests run what a user runs. */
function toolBin(): string {
  const manifest = JSON.parse(readFileSync(join(TOOL_DIR, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const bin = Object.values(manifest.bin ?? {})[0];
  if (bin === undefined) throw new Error(`${TOOL_DIR}/package.json declares no bin`);
  return join(TOOL_DIR, bin);
}
const running = new Set<ChildProcess>();

export interface CliProcess {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has exited (a signal counts as -1). */
  readonly exited: Promise<number>;
  readonly child: ChildProcess;
}

/** Runs this tool's real CLI, its bin, as a process, as a user would (`cwd` defaults to the tool's folder). */
export function startCli(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, cwd: string = TOOL_DIR): CliProcess {
  const child = spawn(process.execPath, [toolBin(), ...args], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => {
    running.delete(child);
    resolve(code ?? -1);
  }));
  return { stdout: () => stdout, stderr: () => stderr, exited, child };
}

/** Runs the CLI to its end, killing it if it outlives the deadline. */
export async function runCli(
  args: readonly string[], timeoutMs = 30_000, env: Readonly<Record<string, string | undefined>> = {}, cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = startCli(args, env, cwd);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  const code = await cli.exited;
  clearTimeout(timer);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** For afterEach: no CLI outlives its test. */
export function killRunningClis(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Polls until the probe returns a value (not undefined/false), or fails at the deadline. Never a fixed sleep. */
export async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
