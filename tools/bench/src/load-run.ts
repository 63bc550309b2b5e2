import { makeTempDir, removeTempDir, startProcess } from './child-processes';
import { BenchError } from './bench.errors';
import { STREAM_SERVICES } from './capacity-report';
import { startStack, type RunningStack, type StackStatus } from './local-stack-process';
import { parseProducerTotals, type ProducerTotals } from './producer-totals';

/** One load: a fleet of N unicorns at one reading a second for a while, optionally packed. */
export interface LoadPlan {
  readonly unicorns: number;
  readonly pack: number;
  readonly durationMs: number;
  readonly seed: number;
  /** How long to wait after the producer for the services to catch up. */
  readonly drainTimeoutMs: number;
}

export interface BenchContext {
  readonly repoRoot: string;
  readonly endpointsFile: string;
  /** Aborted on Ctrl-C: the run stops its processes and throws. */
  readonly signal: AbortSignal;
  /** Progress, on stderr. */
  readonly log: (line: string) => void;
}

export interface LoadObservation {
  readonly producer: ProducerTotals;
  /** When the producer began to send (epoch ms): its end less the seconds it reports sending. */
  readonly sendStartedAt: number;
  readonly drained: boolean;
  readonly drainSeconds: number;
  /** From the producer's first send until the slowest service caught up, s. */
  readonly activeSeconds: number;
  readonly processedRecords: number;
  readonly maxLagMs: Readonly<Record<string, number>>;
  readonly lastStatus: StackStatus | undefined;
}

/** The unicorn whose health the `decline` scenario runs down (the producer's second unicorn). */
export const DECLINING_UNICORN = 'Bucephalus';

export const modeName = (pack: number): string => (pack > 1 ? `packed ×${pack}` : 'unpacked');

/** Waits `ms`, or throws as soon as the run is interrupted. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new BenchError('INTERRUPTED', 'interrupted');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
  if (signal.aborted) throw new BenchError('INTERRUPTED', 'interrupted');
}

/**
 * Shards for a fleet, as a deployment would size them: about 700 unicorns a shard. The aggregation's window state
 * holds about 1,000 unicorns' full open minutes in its budget; at 1,000 a shard it overflows at every minute's end
 * and falls back to writing minutes pending (measured: aggregation lag past 100 s at N = 5,000 on 5 shards).
 */
export const shardsFor = (unicorns: number): number => Math.max(2, Math.ceil(unicorns / 700));

/**
 * Runs `body` against a fresh stack (`npm start` in a new temp data dir) and always stops the stack (SIGINT, then
 * wait) and removes the dir, whatever happens.
 */
export async function withStack<T>(context: BenchContext, lifetimeMs: number, shards: number, body: (stack: RunningStack) => Promise<T>, stackOptions: { readonly deployedWindows?: boolean } = {}): Promise<T> {
  const dataDir = await makeTempDir('wildrydes-bench-');
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({ repoRoot: context.repoRoot, endpointsFile: context.endpointsFile, dataDir, maxLifetimeMs: lifetimeMs, shards, ...stackOptions });
    return await body(stack);
  } finally {
    if (stack !== undefined) {
      context.log('  stopping the stack…');
      // Only the stack's own process: a SIGINT to the whole group also reaches npm and tsx, which relay it, and a
      // second SIGINT during the shutdown would kill the stack before it removes .wildrydes/local.json.
      await stack.process.stop(60_000, stack.endpoints.pid);
      const code = await stack.process.exited;
      // npm exits 130 after a Ctrl-C it relayed; the stack itself prints `stopped.` when it shut down cleanly.
      if (!/^stopped\./m.test(stack.process.tail(50))) context.log(`  warning: the stack did not stop cleanly (${String(code)}); its last lines:\n${stack.process.tail(30)}`);
    }
    await removeTempDir(dataDir);
  }
}

/** The worst lag each service has had, from a status sample (its running maximum and its current age). */
function foldLag(maxLag: Record<string, number>, status: StackStatus | undefined): void {
  for (const service of STREAM_SERVICES) {
    const stats = status?.services[service];
    if (stats === undefined) continue;
    maxLag[service] = Math.max(maxLag[service] ?? 0, stats.iteratorAgeMs, stats.maxIteratorAgeMs);
  }
}

const processedBy = (status: StackStatus | undefined): number =>
  Math.min(...STREAM_SERVICES.map((service) => status?.services[service]?.records ?? 0));

/**
 * Runs the real producer against the stack (`--fleet N --rate 1 --scenario decline=Bucephalus`), sampling `status.json` every
 * second, then waits until every stream service has handled every record the stream accepted, or the deadline.
 */
export async function driveLoad(
  stack: RunningStack, plan: LoadPlan, context: BenchContext,
  /** Called with each status sampled while the producer runs, and the ms since it was started. */
  onSample?: (status: StackStatus, sinceProducerStartMs: number) => void,
): Promise<LoadObservation> {
  const maxLag: Record<string, number> = {};
  const args = [
    'run', '--silent', 'producer', '--', '--local', '--fleet', String(plan.unicorns), '--rate', '1',
    '--duration', `${Math.round(plan.durationMs / 1000)}s`, '--scenario', `decline=${DECLINING_UNICORN}`, '--seed', String(plan.seed),
    ...(plan.pack > 1 ? ['--pack', String(plan.pack)] : []),
  ];
  let producerOutput = '';
  const producer = startProcess('producer', 'npm', args, {
    cwd: context.repoRoot,
    onLine: (line) => (producerOutput += `${line}\n`),
  });
  const startedAt = Date.now();
  let lastProgress = startedAt;
  let status: StackStatus | undefined;
  try {
    while (!producer.hasExited()) {
      await pause(1_000, context.signal);
      const sampled = await stack.readStatus();
      if (sampled !== undefined) onSample?.(sampled, Date.now() - startedAt);
      status = sampled ?? status;
      foldLag(maxLag, status);
      if (stack.process.hasExited()) throw new BenchError('STACK_FAILED', `the stack exited during the run:\n${stack.process.tail()}`);
      if (Date.now() - lastProgress >= 10_000) {
        lastProgress = Date.now();
        const lags = STREAM_SERVICES.map((s) => `${s} ${((status?.services[s]?.iteratorAgeMs ?? 0) / 1000).toFixed(1)}`).join(', ');
        const sent = [...producerOutput.matchAll(/sent (\d+) readings/g)].at(-1)?.[1] ?? '0';
        context.log(`  ${Math.round((Date.now() - startedAt) / 1000)} s: producer sent ${sent} readings; lag s: ${lags}`);
      }
    }
  } finally {
    await producer.stop(10_000);
  }
  const producerEndedAt = Date.now();
  const code = await producer.exited;
  const totals = parseProducerTotals(producerOutput);
  if (code !== 0 || totals === undefined) throw new BenchError('PRODUCER_FAILED', `the producer exited with ${String(code)}:\n${producer.tail()}`);
  const producerStartedAt = producerEndedAt - totals.seconds * 1000;

  context.log(`  producer done: ${totals.readings} readings in ${totals.records} records; waiting for the services to catch up…`);
  const deadline = producerEndedAt + plan.drainTimeoutMs;
  let drained = false;
  for (;;) {
    status = (await stack.readStatus()) ?? status;
    foldLag(maxLag, status);
    if (processedBy(status) >= totals.records) {
      drained = true;
      break;
    }
    if (Date.now() > deadline) break;
    await pause(1_000, context.signal);
  }
  const drainedAt = Date.now();
  return {
    producer: totals,
    sendStartedAt: producerStartedAt,
    drained,
    drainSeconds: (drainedAt - producerEndedAt) / 1000,
    activeSeconds: (drainedAt - producerStartedAt) / 1000,
    processedRecords: processedBy(status),
    maxLagMs: maxLag,
    lastStatus: status,
  };
}
