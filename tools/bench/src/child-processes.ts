import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from './bench.errors';

/**
 * Every process the bench starts runs in its own process group (npm → sh → tsx → node → the emulator host), so
 * one signal reaches all of it. Each group and temp dir is registered until it is gone: `releaseEverythingNow()`
 * (on exit, on a second Ctrl-C) kills what is left and removes what is left, synchronously.
 */

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code, or the signal's name, once the group leader has exited. */
  readonly exited: Promise<number | string>;
  /** True once the group leader has exited. */
  hasExited(): boolean;
  /** The last lines it printed (stdout and stderr), for error messages. */
  tail(lines?: number): string;
  /**
   * SIGINT to the group (or to `interruptPid` alone, a process of the group that handles it), then SIGKILL to
   * whatever is left of the group after `graceMs`.
   */
  stop(graceMs?: number, interruptPid?: number): Promise<void>;
}

export interface StartProcessOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const liveGroups = new Set<number>();
const liveTempDirs = new Set<string>();
const TAIL_LINES = 200;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function startProcess(name: string, command: string, args: readonly string[], options: StartProcessOptions): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  const recent: string[] = [];
  let exited = false;
  const follow = (stream: 'stdout' | 'stderr'): void => {
    let partial = '';
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(/\r/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
        recent.push(line);
        if (recent.length > TAIL_LINES) recent.shift();
        options.onLine?.(line, stream);
      }
    });
  };
  follow('stdout');
  follow('stderr');
  const exitedPromise = new Promise<number | string>((resolve) => {
    child.on('error', (error) => {
      exited = true;
      recent.push(`${name}: ${error.message}`);
      resolve('error');
    });
    child.on('close', (code, signal) => {
      exited = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    name,
    pid,
    exited: exitedPromise,
    hasExited: () => exited,
    tail: (lines = 20) => recent.slice(-lines).join('\n'),
    stop: async (graceMs = 60_000, interruptPid?: number) => {
      if (interruptPid !== undefined) {
        try {
          process.kill(interruptPid, 'SIGINT');
        } catch {
          // already gone: the group is stopped below
        }
      } else if (!exited) {
        signalGroup(pid, 'SIGINT');
      }
      const deadline = Date.now() + graceMs;
      // The leader may exit before the rest of its group (the emulator host shuts down after the stack).
      while ((!exited || groupAlive(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGKILL');
        // Killed processes linger until reaped; the next run's "is a stack running?" check must not see them.
        const reaped = Date.now() + 5_000;
        while (groupAlive(pid) && Date.now() < reaped) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await exitedPromise;
      liveGroups.delete(pid);
    },
  };
}

/**
 * Runs a process to its end, stopped (group and all) if `signal` aborts: its exit code, 1 when it died by a signal.
 * Throws BenchError INTERRUPTED when aborted.
 */
export async function runToEnd(name: string, command: string, args: readonly string[], options: StartProcessOptions, signal: AbortSignal): Promise<number> {
  const child = startProcess(name, command, args, options);
  const stop = (): void => void child.stop(5_000);
  signal.addEventListener('abort', stop, { once: true });
  const code = await child.exited;
  signal.removeEventListener('abort', stop);
  await child.stop(1_000);
  if (signal.aborted) throw new BenchError('INTERRUPTED', 'interrupted');
  return typeof code === 'number' ? code : 1;
}

/** A fresh directory under the system temp dir, removed by `removeTempDir` or at the latest on exit. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  liveTempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  liveTempDirs.delete(dir);
}

/** Synchronous last resort (process exit, second Ctrl-C): SIGKILL every group still registered, remove every temp dir. */
export function releaseEverythingNow(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
  liveTempDirs.clear();
}
