/**
 * On AWS each stream service runs in Lambdas of its own; `npm start` runs all of them, and the emulators, on the
 * few cores of one machine. When those are short — a fleet of thousands starting at once, every unicorn's first
 * health state and first minute lookup in the same seconds, or a minute's summaries all written at its end — the
 * services slow each other down, and alerts, which promise seconds, wait behind summaries and the archive, which
 * promise minutes. So the local stack puts health first: a batch of a service that yields waits, before its
 * invocation starts, while health is busy on the same shard and has not handled the records that arrived up to
 * `behindMs` before the batch's last one — at most `maxWaitMs`, and only while its own records are younger than
 * `yieldWhileWithinMs` (summaries may be 75 s late, not more), so it is slowed, never stopped. Health idle on a
 * shard (caught up, or nothing new) holds nothing back. The wait happens before the invocation, so no handler,
 * duration or bill sees it, and records are still delivered in order, retried and checkpointed as before.
 * (Measured at 5,000 unicorns: health's first invocations took 25 s while aggregation looked up 5,000 unicorns'
 * open minutes beside them; ADR 13.)
 */

export interface AlertsFirstOptions {
  /** A batch waits while health, busy on its shard, has not handled what arrived up to this long before the batch's end. Default 2 s. */
  readonly behindMs?: number;
  /** The longest one invocation of a yielding service waits. Default 5 s. */
  readonly maxWaitMs?: number;
  /**
   * A batch whose records arrived this long ago waits no more: the yielding service is then far enough behind
   * itself (summaries may be 75 s late). Default 30 s.
   */
  readonly yieldWhileWithinMs?: number;
  /** How often a waiting invocation looks again. Default 50 ms. */
  readonly checkEveryMs?: number;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface BatchEvent { readonly Records: readonly { readonly eventID: string; readonly kinesis: { readonly approximateArrivalTimestamp: number } }[] }

/** The shard of a batch (Kinesis event ids are `shardId-…:sequence number`) and its newest arrival, in ms. */
function batchEnd(event: BatchEvent): { shardId: string; arrivedAt: number } | undefined {
  const last = event.Records.at(-1);
  if (last === undefined) return undefined;
  return { shardId: last.eventID.slice(0, last.eventID.indexOf(':')), arrivedAt: last.kinesis.approximateArrivalTimestamp * 1000 };
}

export class AlertsFirst {
  private readonly behindMs: number;
  private readonly maxWaitMs: number;
  private readonly yieldWhileWithinMs: number;
  private readonly checkEveryMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Health's invocations in flight, by shard. */
  private readonly busy = new Map<string, number>();
  /** The newest arrival health has handled, by shard. */
  private readonly handledUntil = new Map<string, number>();
  /** Invocations that waited, and for how long altogether. */
  waits = 0;
  waitedMs = 0;

  constructor(options: AlertsFirstOptions = {}) {
    this.behindMs = options.behindMs ?? 2_000;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.yieldWhileWithinMs = options.yieldWhileWithinMs ?? 30_000;
    this.checkEveryMs = options.checkEveryMs ?? 50;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Health's handler, watched. */
  first<E extends BatchEvent, R>(handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
    return async (event) => {
      const end = batchEnd(event);
      if (end === undefined) return handler(event);
      this.busy.set(end.shardId, (this.busy.get(end.shardId) ?? 0) + 1);
      try {
        const result = await handler(event);
        this.handledUntil.set(end.shardId, Math.max(end.arrivedAt, this.handledUntil.get(end.shardId) ?? Number.NEGATIVE_INFINITY));
        return result;
      } finally {
        const left = (this.busy.get(end.shardId) ?? 1) - 1;
        if (left > 0) this.busy.set(end.shardId, left);
        else this.busy.delete(end.shardId);
      }
    };
  }

  /** A handler that waits while health is behind on the batch's shard, at most `maxWaitMs` an invocation. */
  yielding<E extends BatchEvent, R>(handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
    return async (event) => {
      const end = batchEnd(event);
      const started = this.clock();
      const mayWait = (): boolean => end !== undefined && this.clock() - started < this.maxWaitMs
        && this.clock() - end.arrivedAt < this.yieldWhileWithinMs && this.healthBehind(end.shardId, end.arrivedAt);
      if (mayWait()) {
        this.waits += 1;
        while (mayWait()) await this.sleep(this.checkEveryMs);
        this.waitedMs += this.clock() - started;
      }
      return handler(event);
    };
  }

  /** Whether health is busy on `shardId` and has not handled what arrived up to `behindMs` before `arrivedAt`. */
  healthBehind(shardId: string, arrivedAt: number): boolean {
    if (!this.busy.has(shardId)) return false;
    return (this.handledUntil.get(shardId) ?? Number.NEGATIVE_INFINITY) < arrivedAt - this.behindMs;
  }
}
