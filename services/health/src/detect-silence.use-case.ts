import { detectSilence, type AlertPublisher, type HealthChange, type HealthPolicy, type HealthStore, type UnicornAlert } from '@wildrydes/domain';

export interface DetectSilenceOptions {
  readonly policy: HealthPolicy;
  /** A shard whose last-seen record is older than this (wall clock) has had nothing to process: judge it by the clock. */
  readonly idleShardAfterMs: number;
}

/**
 * The scheduled scan (every minute), for what the stream handler cannot see: a shard with no readings at all
 * (its whole fleet went quiet) gets no invocation, so nobody judges its unicorns by the shard's clock. A shard
 * whose last-seen record is fresh is being processed — its handler judges silence itself, by the shard's own
 * clock — so the scan leaves it alone, and a lagging service never makes the scan call a reporting unicorn silent.
 */
export class DetectSilence {
  constructor(
    private readonly store: HealthStore,
    private readonly alerts: AlertPublisher,
    private readonly options: DetectSilenceOptions,
  ) {}

  async execute(now: number): Promise<{ readonly alerts: readonly UnicornAlert[]; readonly conflicts: readonly string[] }> {
    const lastSeen = new Map<string, number>();
    for (const shard of await this.store.listShards()) {
      if (now - shard.savedAt <= this.options.idleShardAfterMs) continue;
      for (const [name, time] of shard.lastSeen) {
        if (now - time > this.options.policy.silenceAfterMs) lastSeen.set(name, Math.max(time, lastSeen.get(name) ?? -Infinity));
      }
    }
    const stored = await this.store.load([...lastSeen.keys()]);
    const alerts: UnicornAlert[] = [];
    const changes: HealthChange[] = [];
    for (const [name, { state, version }] of stored) {
      const update = detectSilence({ ...state, lastReadingTime: Math.max(state.lastReadingTime, lastSeen.get(name)!) }, now, this.options.policy);
      if (!update.levelsChanged || update.state === undefined) continue;
      alerts.push(...update.alerts);
      changes.push({ state: update.state, expectedVersion: version });
    }
    await this.alerts.publish(alerts);
    // A conflict means the unicorn reported (or another scan ran) meanwhile: the next scan judges it afresh.
    const { conflicts } = await this.store.applyTransitions(changes);
    return { alerts, conflicts };
  }
}
