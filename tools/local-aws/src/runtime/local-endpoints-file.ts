import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
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

/** `<repo root>/.wildrydes/local.json`, or `WILDRYDES_ENDPOINTS_FILE` (tests run whole stacks beside a developer's). */
export function defaultEndpointsFilePath(): string {
  const override = process.env['WILDRYDES_ENDPOINTS_FILE'];
  return override !== undefined && override !== '' ? override : join(findRepoRoot(), '.wildrydes', 'local.json');
}

/** `local.env` beside `local.json`: the same endpoints as the AWS SDKs' and CLI's standard variables. */
export function localEnvFilePath(endpointsFile: string): string {
  return join(dirname(endpointsFile), `${basename(endpointsFile).replace(/\.json$/, '')}.env`);
}

/** The one shell line that loads `local.env` (a path relative to `cwd` when it lies below it). */
export function loadLocalEnvCommand(envFile: string, cwd: string = process.cwd()): string {
  const shown = relative(cwd, envFile);
  const path = shown.startsWith('..') || shown === '' ? envFile : shown;
  return `set -a; . ${/^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`}; set +a`;
}

/**
 * The content of `local.env`: `AWS_ENDPOINT_URL_<SERVICE>` (honoured by SDK v3, botocore and AWS CLI v2.13+, so a
 * client built with no endpoint reaches the stand-ins), the region, and credentials the stand-ins accept (they
 * check none, but every SDK refuses to sign without some). `# pid` names the owner, as `pid` does in local.json.
 */
export function formatLocalEnvFile(content: LocalEndpointsFile): string {
  const variables: [string, string][] = [
    ['AWS_ENDPOINT_URL_KINESIS', content.kinesis],
    ['AWS_ENDPOINT_URL_DYNAMODB', content.dynamodb],
    ['AWS_ENDPOINT_URL_S3', content.s3],
    ...(content.eventbridge === undefined ? [] : [['AWS_ENDPOINT_URL_EVENTBRIDGE', content.eventbridge] as [string, string]]),
    ['AWS_REGION', content.region],
    ['AWS_DEFAULT_REGION', content.region],
    ['AWS_ACCESS_KEY_ID', 'local'],
    ['AWS_SECRET_ACCESS_KEY', 'local'],
    ['AWS_EC2_METADATA_DISABLED', 'true'],
  ];
  return [
    `# The local Wild Rydes stack (pid ${content.pid}, started ${content.startedAt}); removed when it stops.`,
    '# Load it into a shell with: set -a; . .wildrydes/local.env; set +a',
    ...variables.map(([name, value]) => `${name}=${value}`),
    '',
  ].join('\n');
}

export async function writeLocalEndpointsFile(path: string, content: LocalEndpointsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const write = async (target: string, text: string): Promise<void> => {
    const partial = `${target}.${process.pid}.tmp`;
    await writeFile(partial, text, 'utf8');
    await rename(partial, target);
  };
  await write(localEnvFilePath(path), formatLocalEnvFile(content));
  await write(path, `${JSON.stringify(content, null, 2)}\n`);
}

/** Removes the files (local.json and local.env) only while they are still ours: a newer stack may have replaced them. */
export async function removeLocalEndpointsFile(path: string, ownerPid: number): Promise<void> {
  const envFile = localEnvFilePath(path);
  const envText = await readFile(envFile, 'utf8').catch(() => undefined);
  if (envText !== undefined && envText.includes(`(pid ${ownerPid},`)) await rm(envFile, { force: true });
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
