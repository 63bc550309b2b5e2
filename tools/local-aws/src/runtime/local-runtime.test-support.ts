import { afterAll, beforeAll } from 'vitest';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { startLocalRuntime, type LocalRuntime, type StartLocalRuntimeOptions } from './start-local-runtime';

/** Helpers shared by the tests that use the runtime: polling to a deadline, process checks, a runtime per file. */

export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs tasks with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Every port 0, so tests never collide with a running `npm run local` or with each other. */
export const ANY_FREE_PORTS = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } as const;

/**
 * Starts a local runtime on free ports before a file's tests and stops it after them; read `runtime` and
 * `clients` inside tests (they exist once beforeAll has run).
 */
export function useLocalRuntime(options: Omit<StartLocalRuntimeOptions, 'ports'> = {}): { readonly runtime: LocalRuntime; readonly clients: AwsClients } {
  let runtime: LocalRuntime | undefined;
  let clients: AwsClients | undefined;
  beforeAll(async () => {
    runtime = await startLocalRuntime({ ...options, ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
    clients = createAwsClients(runtime.endpoints);
  });
  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
  });
  return {
    get runtime() { return runtime!; },
    get clients() { return clients!; },
  };
}
