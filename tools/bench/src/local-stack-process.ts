import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LocalEndpointsFileInvalidError, LocalStackNotRunningError, readLocalEndpoints, type LocalEndpointsFile } from '@wildrydes/local-aws';
import { startProcess, type ManagedProcess } from './child-processes';
import { BenchError } from './bench.errors';

/** What `npm start` writes to `.wildrydes/status.json` every second and once more at exit. */
export interface StackStatus {
  readonly updatedAt: number;
  readonly sent: number;
  readonly failed: number;
  readonly summariesEmitted: number;
  readonly alerts: number;
  readonly quarantinedRecords: number;
  readonly services: Readonly<Record<string, { invocations: number; records: number; handlerMs: number; iteratorAgeMs: number; maxIteratorAgeMs: number }>>;
  /** The billing meter's snapshot, once the stack writes one. */
  readonly meter?: unknown;
}

export interface RunningStack {
  readonly process: ManagedProcess;
  readonly endpoints: LocalEndpointsFile;
  readonly statusFile: string;
  readStatus(): Promise<StackStatus | undefined>;
}

/** Every port on 0: the machine is shared, and the bench finds its endpoints in `.wildrydes/local.json` anyway. */
const FREE_PORTS = {
  WILDRYDES_KINESIS_PORT: '0',
  WILDRYDES_DYNAMODB_PORT: '0',
  WILDRYDES_S3_PORT: '0',
  WILDRYDES_EVENTBRIDGE_PORT: '0',
  WILDRYDES_HTTP_INGESTION_PORT: '0',
};

/** Refuses to start while `.wildrydes/local.json` names a live stack: one stack at a time. */
export async function refuseIfStackRunning(endpointsFile: string): Promise<void> {
  let running: LocalEndpointsFile;
  try {
    running = await readLocalEndpoints(endpointsFile);
  } catch (error) {
    // Missing, left over by a dead process, or unreadable: nothing is running; the new stack replaces the file.
    if (error instanceof LocalStackNotRunningError || error instanceof LocalEndpointsFileInvalidError) return;
    throw error;
  }
  throw new BenchError(
    'STACK_ALREADY_RUNNING',
    `a local stack is already running (process ${running.pid}, started ${running.startedAt}, endpoints in .wildrydes/local.json). ` +
      'The bench starts its own stack and runs one at a time: stop that one first (Ctrl-C in its terminal).',
  );
}

export async function readStatusFile(path: string): Promise<StackStatus | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StackStatus>;
    // The stack writes the file in place: a read can catch it half-written, which is simply skipped.
    return typeof parsed.updatedAt === 'number' && typeof parsed.services === 'object' ? (parsed as StackStatus) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the real `npm start -- --unicorns 0 --data-dir DIR` in its own process group and waits until it is ready:
 * its endpoints file names our data dir and its first status file is written. `maxLifetimeMs` becomes the stack's own `--duration`, so even a bench killed with SIGKILL leaves no stack
 * running for long.
 */
export async function startStack(options: {
  readonly repoRoot: string;
  readonly endpointsFile: string;
  readonly dataDir: string;
  readonly maxLifetimeMs: number;
  /** Shards of the telemetry stream (`npm start --shards`). */
  readonly shards: number;
  /** `npm start --deployed-windows`: batch as deployed, so the meter counts invocations and objects as AWS would. */
  readonly deployedWindows?: boolean;
  readonly readyTimeoutMs?: number;
  readonly onLine?: (line: string) => void;
}): Promise<RunningStack> {
  await refuseIfStackRunning(options.endpointsFile);
  const statusFile = join(dirname(options.endpointsFile), 'status.json');
  await rm(statusFile, { force: true });
  const args = ['start', '--', '--unicorns', '0', '--data-dir', options.dataDir, '--duration', `${Math.ceil(options.maxLifetimeMs / 1000)}s`, '--shards', String(options.shards), ...(options.deployedWindows === true ? ['--deployed-windows'] : [])];
  const stack = startProcess('npm start', 'npm', args, {
    cwd: options.repoRoot,
    env: FREE_PORTS,
    ...(options.onLine === undefined ? {} : { onLine: (line: string) => options.onLine?.(line) }),
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (stack.hasExited()) {
      throw new BenchError('STACK_FAILED', `npm start exited before it was ready (${String(await stack.exited)}):\n${stack.tail()}`);
    }
    try {
      const endpoints = await readLocalEndpoints(options.endpointsFile);
      // Ours, not a stack someone started meanwhile: its S3 files live in our data dir. The endpoints file comes
      // with the stand-ins, before the streams, bus and services exist; the status file only once all is running.
      if (endpoints.s3DataDir.startsWith(options.dataDir) && (await readStatusFile(statusFile)) !== undefined) {
        return { process: stack, endpoints, statusFile, readStatus: () => readStatusFile(statusFile) };
      }
    } catch (error) {
      if (!(error instanceof LocalStackNotRunningError || error instanceof LocalEndpointsFileInvalidError)) throw error;
    }
    if (Date.now() > deadline) {
      await stack.stop(10_000);
      throw new BenchError('STACK_FAILED', `npm start was not ready within ${Math.round((options.readyTimeoutMs ?? 120_000) / 1000)} s:\n${stack.tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
