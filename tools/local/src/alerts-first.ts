/**
 * On AWS each stream service runs in Lambdas of its own; `npm start` runs all of them, and the emulators, on the
 * few cores of one machine. When those are short — a fleet of thousands starting at once, every unicorn's first
 * health state and first minute lookup in the same seconds — the services slow each other down, and alerts, which
 * promise seconds, wait behind summaries and the archive, which promise minutes. So the local stack puts health
 * first: an invocation of a service that yields waits, before it starts, while health is behind — an invocation of
 * health has been running for over `slowInvocationMs`, or health's latest batch was more than `behindMs` old when
 * it was handled — for at most `maxWaitMs`, so it is slowed, never stopped. The wait happens before the invocation,
 * so no handler, duration or bill sees it, and records are still delivered in order, retried and checkpointed as
 * before. (Measured at 5,000 unicorns: health's first invocations took 25 s while aggregation looked up 5,000
 * unicorns' open minutes beside them; ADR 13.)
 */

export interface AlertsFirstOptions {
  /** Health is behind while one of its invocations has run this long. Default 1 s. */
  readonly slowInvocationMs?: number;
  /** … or while its latest batch, handled within the last `behindMs`, was older than this. Default 2 s. */
  readonly behindMs?: number;
  /** The longest one invocation of a yielding service waits. Default 5 s. */
  readonly maxWaitMs?: number;
  /** How often a waiting invocation looks again. Default 50 ms. */
  readonly checkEveryMs?: number;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface BatchEvent { readonly Records: readonly { readonly kinesis: { readonly approximateArrivalTimestamp: number } }[] }

export class AlertsFirst {
  private readonly slowInvocationMs: number;
  private readonly behindMs: number;
  private readonly maxWaitMs: number;
  private readonly checkEveryMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Start times of health's invocations in flight (one per shard at most). */
  private readonly running = new Set<{ readonly startedAt: number }>();
  private lastHandledAt = Number.NEGATIVE_INFINITY;
  private lastAgeMs = 0;
  /** Invocations that waited, and for how long altogether (reported with the stack's stats). */
  waits = 0;
  waitedMs = 0;

  constructor(options: AlertsFirstOptions = {}) {
    this.slowInvocationMs = options.slowInvocationMs ?? 1_000;
    this.behindMs = options.behindMs ?? 2_000;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.checkEveryMs = options.checkEveryMs ?? 50;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Health's handler, watched. */
  first<E extends BatchEvent, R>(handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
    return async (event) => {
      const invocation = { startedAt: this.clock() };
      this.running.add(invocation);
      try {
        return await handler(event);
      } finally {
        this.running.delete(invocation);
        const last = event.Records.at(-1);
        this.lastHandledAt = this.clock();
        this.lastAgeMs = last === undefined ? 0 : Math.max(0, this.lastHandledAt - last.kinesis.approximateArrivalTimestamp * 1000);
      }
    };
  }

  /** A handler that waits while health is behind, at most `maxWaitMs` an invocation. */
  yielding<E, R>(handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
    return async (event) => {
      const started = this.clock();
      if (this.healthBehind(started)) {
        this.waits += 1;
        while (this.clock() - started < this.maxWaitMs && this.healthBehind(this.clock())) await this.sleep(this.checkEveryMs);
        this.waitedMs += this.clock() - started;
      }
      return handler(event);
    };
  }

  healthBehind(now: number): boolean {
    for (const { startedAt } of this.running) if (now - startedAt > this.slowInvocationMs) return true;
    return now - this.lastHandledAt <= this.behindMs && this.lastAgeMs > this.behindMs;
  }
}
