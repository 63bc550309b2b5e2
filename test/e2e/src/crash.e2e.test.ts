import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '@wildrydes/local-aws';
import { until } from '@wildrydes/test-kit';

const REPO = findRepoRoot();

interface Proc {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number>;
}

const running = new Set<ChildProcess>();

/** A TypeScript entry of this repository as its own process (node + tsx), in its own process group. */
function start(entry: string, args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, entry), ...args], {
    cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO, 'tsconfig.json'), FORCE_COLOR: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  running.add(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => {
    running.delete(child);
    resolve(code ?? -1);
  }));
  return { child, output: () => output, exited };
}

/** SIGKILL to the whole process group: the stack and its emulator host die at once, as in a power cut. */
async function killGroup(proc: Proc): Promise<void> {
  process.kill(-(proc.child.pid as number), 'SIGKILL');
  await proc.exited;
}

describe('crash: the whole stack killed with SIGKILL under load and restarted on its data dir', () => {
  let dir: string;

  afterAll(async () => {
    for (const child of running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keeps readings acknowledged = archived (distinct) = summarised, none doubled (checked with reconcile)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-crash-'));
    const endpointsFile = join(dir, 'local.json');
    const stackEnv = {
      WILDRYDES_ENDPOINTS_FILE: endpointsFile, WILDRYDES_KINESIS_PORT: '0', WILDRYDES_DYNAMODB_PORT: '0', WILDRYDES_S3_PORT: '0',
      WILDRYDES_EVENTBRIDGE_PORT: '0', WILDRYDES_HTTP_INGESTION_PORT: '0', POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    let starts = 0;
    const startStack = async (): Promise<Proc> => {
      starts++;
      const stack = start('tools/local/src/start.cli.ts', ['--unicorns', '0', '--data-dir', join(dir, 'data')], stackEnv);
      await until(`the stack to be ready (output so far: ${JSON.stringify(stack.output().slice(-1500))})`, async () => {
        if (!existsSync(endpointsFile) || !stack.output().includes('Wild Rydes is running')) return false;
        return (JSON.parse(await readFile(endpointsFile, 'utf8')) as { pid: number }).pid === stack.child.pid;
      }, (ready) => ready, 60_000).catch((error: Error) => {
        throw new Error(`start ${starts}: ${error.message}; output: ${stack.output().slice(-2000)}`);
      });
      return stack;
    };
    /** The real producer: a fleet as fast as Kinesis takes it; resolves with the readings it says were acknowledged. */
    const produce = async (seed: number, readings: number): Promise<number> => {
      const producer = start('tools/producer/src/cli.ts', ['--endpoints-file', endpointsFile, '--fleet', '25', '--rate', '0', '-msgs', String(readings), '--seed', String(seed)], {});
      expect(await producer.exited).toBe(0);
      const totals = /producer: sent (\d+) readings in \d+ records .*failed (\d+)/.exec(producer.output());
      expect(totals, producer.output()).not.toBeNull();
      expect(Number(totals![2])).toBe(0);
      return Number(totals![1]);
    };

    // Two rounds: the producer sends, and the stack is killed while its services are still working through them.
    let acknowledged = 0;
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
    let stack = await startStack();
    const atKill: string[] = [];
    for (const seed of [1, 2]) {
      acknowledged += await produce(seed, 4000);
      // What the services had processed when the kill came (the status file is rewritten every second).
      // (It is rewritten in place: a read may catch it half-written, and then says nothing.)
      const status = await readFile(join(dir, 'status.json'), 'utf8').then((text) => JSON.parse(text) as { services?: Record<string, { records: number }> }).catch(() => ({}));
      atKill.push(Object.entries((status as { services?: Record<string, { records: number }> }).services ?? {}).map(([service, stats]) => `${service} ${stats.records}`).join(', '));
      await killGroup(stack);
      stack = await startStack();
    }

    // Once the restarted stack has caught up, `reconcile` (the CLI, as a user runs it) finds everything once.
    const to = new Date(Date.now() + 600_000).toISOString();
    const reconcile = async () => {
      const run = start('tools/reconcile/src/reconcile.cli.ts', ['--endpoints-file', endpointsFile, '--from', from, '--to', to, '--format', 'json'], {});
      const code = await run.exited;
      return { code, output: run.output() };
    };
    const result = await until('reconcile to pass', reconcile, (r) => r.code === 0, 60_000);
    const report = JSON.parse(result.output) as { counts: { received: { readings: number; distinctReadings: number }; archived: { rows: number; distinctReadings: number }; summarised: { readings: number } } };
    const { received, archived, summarised } = report.counts;
    console.info(`crash suite: records processed in this run at each SIGKILL: [${atKill.join('] [')}]`);
    console.info(`crash suite: 2 SIGKILLs; acknowledged ${acknowledged}, received ${received.readings}, archived ${archived.rows} rows / ${archived.distinctReadings} distinct, summarised ${summarised.readings} (closed and open minutes)`);
    expect(received.readings).toBe(acknowledged);
    expect(archived.rows).toBe(acknowledged);
    expect(archived.distinctReadings).toBe(received.distinctReadings);

    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
  }, 180_000);
});
