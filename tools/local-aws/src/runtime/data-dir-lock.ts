import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalRuntimeDataDirInUseError } from './local-runtime.errors';

/**
 * One runtime per data dir. LevelDB's own LOCK would refuse a second runtime too, but only after its
 * servers are listening, as an asynchronous crash of the emulator host; this fails first, with a clear error.
 */
export interface DataDirLock {
  /** Records the emulator host too: it may briefly outlive a parent killed with SIGKILL. */
  recordHost(hostPid: number): Promise<void>;
  release(): Promise<void>;
}

/** How long a start waits for the previous holder of the data dir to finish exiting. */
const HOLDER_EXIT_WAIT_MS = 5_000;

interface LockContent {
  readonly pid: number;
  readonly hostPid?: number;
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'runtime.lock');
  const write = (content: LockContent, flag: 'wx' | 'w'): Promise<void> => writeFile(path, JSON.stringify(content), { flag });

  try {
    await write({ pid: process.pid }, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = await readHolder(path);
    const livePid = (): number | undefined => [holder?.pid, holder?.hostPid].find((pid) => pid !== undefined && isAlive(pid));
    // A runtime killed a moment ago may still be going: its emulator host notices the lost parent and shuts down.
    const deadline = Date.now() + HOLDER_EXIT_WAIT_MS;
    while (livePid() !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const holding = livePid();
    if (holding !== undefined) throw new LocalRuntimeDataDirInUseError(dataDir, holding);
    // Left over by a runtime that died without stopping: take it over.
    await write({ pid: process.pid }, 'w');
  }
  return {
    recordHost: (hostPid) => write({ pid: process.pid, hostPid }, 'w'),
    release: () => rm(path, { force: true }),
  };
}

async function readHolder(path: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? (parsed as LockContent) : undefined;
  } catch {
    // Unreadable means nobody can claim it.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays signalable until its (new) parent reaps it; as a zombie it holds nothing.
  try {
    return !isGoneState(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Whether a `/proc/<pid>/stat` line says the process is dead and only waits to be reaped (Z) or is exiting (X). */
export function isGoneState(stat: string): boolean {
  // The state follows the command name, which is in parentheses and may itself hold spaces and parentheses.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
