import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalEndpointsFileInvalidError, LocalStackNotRunningError } from './local-runtime.errors';

/** Where every local endpoint lives; what `createAwsClients` needs to talk to the local stack. */
export interface LocalEndpoints {
  readonly region: string;
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
  /** Absent until the local EventBridge stand-in is wired into the runtime. */
  readonly eventbridge?: string;
  /** s3rver's directory: each object is `<dir>/<bucket>/<key>._S3rver_object` (DuckDB reads it from here). */
  readonly s3DataDir: string;
}

/** The content of `.wildrydes/local.json`: the endpoints plus who owns them. */
export interface LocalEndpointsFile extends LocalEndpoints {
  /** The process that started the runtime (e.g. `npm run local`); stopping it stops the stack. */
  readonly pid: number;
  readonly startedAt: string;
  /** The fleet dashboard's address, when the process serves one (npm start). */
  readonly dashboard?: string;
}

/** The workspace root: the nearest folder above `from` whose package.json declares `workspaces`. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (parsed.workspaces !== undefined) return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json with "workspaces" above ${from}`);
  }
}

/** `.wildrydes/local.json` at the repository root, or `WILDRYDES_ENDPOINTS_FILE` (a suite running the stack as a process). */
export function defaultEndpointsFilePath(): string {
  return process.env['WILDRYDES_ENDPOINTS_FILE'] ?? join(findRepoRoot(), '.wildrydes', 'local.json');
}

export async function writeLocalEndpointsFile(path: string, content: LocalEndpointsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
  await rename(partial, path);
}

/** Removes the file only while it is still ours: a newer stack may have replaced it. */
export async function removeLocalEndpointsFile(path: string, ownerPid: number): Promise<void> {
  let current: unknown;
  try {
    current = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // Unreadable or corrupt: it cannot describe a live stack, so it goes.
    await rm(path, { force: true });
    return;
  }
  if ((current as { pid?: unknown }).pid === ownerPid) await rm(path, { force: true });
}

/**
 * Reads and validates `.wildrydes/local.json`. Throws LocalStackNotRunningError when it is missing or its
 * owner process is gone (a stack killed with SIGKILL cannot remove its file).
 */
export async function readLocalEndpoints(path: string = defaultEndpointsFilePath()): Promise<LocalEndpointsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LocalStackNotRunningError(path);
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LocalEndpointsFileInvalidError(path, `bad JSON (${(error as Error).message})`);
  }
  const file = validate(path, parsed);
  if (!isProcessAlive(file.pid)) {
    throw new LocalStackNotRunningError(path, `${path} is left over from process ${file.pid}, which has exited`);
  }
  return file;
}

function validate(path: string, value: unknown): LocalEndpointsFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LocalEndpointsFileInvalidError(path, 'expected a JSON object');
  }
  const record = value as Record<string, unknown>;
  const text = (key: string): string => {
    const field = record[key];
    if (typeof field !== 'string' || field === '') throw new LocalEndpointsFileInvalidError(path, `"${key}" must be a non-empty string`);
    return field;
  };
  const url = (key: string): string => {
    const field = text(key);
    if (!/^https?:\/\/[^/]+/.test(field)) throw new LocalEndpointsFileInvalidError(path, `"${key}" must be an http(s) URL`);
    return field;
  };
  const pid = record['pid'];
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) {
    throw new LocalEndpointsFileInvalidError(path, '"pid" must be a positive integer');
  }
  return {
    region: text('region'),
    kinesis: url('kinesis'),
    dynamodb: url('dynamodb'),
    s3: url('s3'),
    ...(record['eventbridge'] !== undefined ? { eventbridge: url('eventbridge') } : {}),
    s3DataDir: text('s3DataDir'),
    pid,
    startedAt: text('startedAt'),
    ...(record['dashboard'] !== undefined ? { dashboard: url('dashboard') } : {}),
  };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
