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
    const livePid = [holder?.pid, holder?.hostPid].find((pid) => pid !== undefined && isAlive(pid));
    if (livePid !== undefined) throw new LocalRuntimeDataDirInUseError(dataDir, livePid);
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
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
