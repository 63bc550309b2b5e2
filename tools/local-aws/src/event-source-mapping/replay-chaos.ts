import { SeededRandom } from '@wildrydes/domain';

/**
 * The replay mode of the runner, for the replay suite: Lambda's at-least-once delivery at its worst, on purpose.
 * Every share is of invocations, decided by a generator seeded from `seed`, the function and the shard.
 */
export interface ReplayChaos {
  readonly seed: number;
  /** Deliver every batch twice, the second invocation's answer counting (a redelivery after a lost response). Default true. */
  readonly redeliverEveryBatch?: boolean;
  /** Share of invocations answered as a function error after they ran, so the batch is bisected and delivered again. */
  readonly bisectShare?: number;
  /**
   * Share of invocations abandoned mid-batch, as a crashed Lambda: the handler is left running for a random moment
   * (0 to `crashWithinMs`), its answer is never read, and the shard restarts from its last checkpoint.
   */
  readonly crashShare?: number;
  /** Upper bound of the moment before a crash, in ms. Default 5. */
  readonly crashWithinMs?: number;
  /**
   * Each shard's first invocation crashes and its second is bisected, whatever the shares draw: a short run that
   * reads its records in a few batches still goes through both. Default false.
   */
  readonly openWithBoth?: boolean;
}

/** What the replay mode did, for the suite to report. */
export interface ReplayChaosCounts {
  invocations: number;
  redeliveries: number;
  forcedBisects: number;
  crashes: number;
}

export type ChaosOutcome<T> =
  | { readonly kind: 'answered'; readonly response: T }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'crashed' };

/** Marks an invocation answered as failed by the replay mode, so a log line can tell it from a real failure. */
export class ForcedBisectError extends Error {
  readonly code = 'REPLAY_FORCED_BISECT';
  constructor() {
    super('replay mode: the invocation is answered as failed so the batch is bisected');
    this.name = 'ForcedBisectError';
  }
}

/** Runs invocations of one shard's poller under a ReplayChaos. */
export class ChaoticInvoker {
  private readonly random: SeededRandom;
  /** Abandoned invocations still running; awaited before the poller stops. */
  private readonly abandoned = new Set<Promise<unknown>>();

  constructor(private readonly chaos: ReplayChaos, functionName: string, shardId: string, private readonly counts: ReplayChaosCounts) {
    this.random = new SeededRandom(chaos.seed ^ hash(`${functionName}/${shardId}`));
  }

  private made = 0;

  async invoke<T>(call: () => Promise<T>): Promise<ChaosOutcome<T>> {
    this.counts.invocations++;
    const index = this.made++;
    const opening = this.chaos.openWithBoth === true;
    if (this.random.next() < (this.chaos.crashShare ?? 0) || (opening && index === 0)) {
      this.counts.crashes++;
      const running = call().catch(() => undefined);
      this.abandoned.add(running);
      void running.finally(() => this.abandoned.delete(running));
      await new Promise((resolve) => setTimeout(resolve, this.random.next() * (this.chaos.crashWithinMs ?? 5)));
      return { kind: 'crashed' };
    }
    try {
      if (this.chaos.redeliverEveryBatch ?? true) {
        await call();
        this.counts.redeliveries++;
      }
      const response = await call();
      if (this.random.next() < (this.chaos.bisectShare ?? 0) || (opening && index === 1)) {
        this.counts.forcedBisects++;
        return { kind: 'failed', error: new ForcedBisectError() };
      }
      return { kind: 'answered', response };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /** Waits for abandoned invocations to end (a crashed Lambda's last writes may still land; they must not outlive a stop). */
  async settled(): Promise<void> {
    while (this.abandoned.size > 0) await Promise.all([...this.abandoned]);
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
