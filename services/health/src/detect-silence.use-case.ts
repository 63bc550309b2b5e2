import { savedBehindStream } from './track-health.use-case';
import {
  detectSilence, healthyState, type AlertPublisher, type HealthChange, type HealthPolicy, type HealthStore, type ShardActivity, type UnicornAlert,
  type UnicornHealthState,
} from '@wildrydes/domain';

export interface DetectSilenceResult {
  readonly alerts: readonly UnicornAlert[];
  /** Unicorns that changed during the scan; the next scan judges them afresh. */
  readonly conflicts: readonly string[];
  /** Shards unsaved for a while that still had records arriving: behind, not idle, so left to their handler. */
  readonly busyShards: readonly string[];
  /** Shards the stream could not answer for; judged by the next scan. */
  readonly unansweredShards: readonly string[];
}

export interface DetectSilenceOptions {
  readonly policy: HealthPolicy;
  /** A shard whose last-seen record is older than this (wall clock) may have had nothing to process. */
  readonly idleShardAfterMs: number;
  /** How often the handler saves a shard's record while it processes the shard (wall clock, at the latest). */
  readonly lastSeenSaveIntervalMs: number;
}

/**
 * The scheduled scan (every minute), for what the stream handler cannot see: a shard with no readings at all
 * (its whole fleet went quiet) gets no invocation, so nobody judges its unicorns by the shard's clock. A shard
 * whose last-seen record is fresh is being processed — its handler judges silence itself, by the shard's own
 * clock — so the scan leaves it alone, and a lagging service never makes the scan call a reporting unicorn silent.
 *
 * An old save alone does not prove a shard idle: one slow invocation (throttled writes, a starved machine) or a
 * handler far behind also leaves it unsaved. So the stream is asked too. A record that reached the shard one save
 * interval or more after the last save has either not been processed yet or was processed by an invocation that
 * would have saved; either way the shard is busy and its handler will judge it. Only a shard with no such record
 * is judged by the clock. When the stream cannot answer, the shard is left for the next scan: late, never false.
 */
export class DetectSilence {
  constructor(
    private readonly store: HealthStore,
    private readonly alerts: AlertPublisher,
    private readonly activity: ShardActivity,
    private readonly options: DetectSilenceOptions,
  ) {}

  async execute(now: number): Promise<DetectSilenceResult> {
    const lastSeen = new Map<string, number>();
    /** Unicorns with no item yet (healthy since their first reading), as their shard's record has them. */
    const unstored = new Map<string, UnicornHealthState>();
    const busyShards: string[] = [];
    const unansweredShards: string[] = [];
    for (const shard of await this.store.listShards()) {
      if (now - shard.savedAt <= this.options.idleShardAfterMs) continue;
      // A record saved while its handler was behind the stream: everything that arrived after its newest applied
      // record is unapplied (a handler behind saves after every batch until it catches up), and may have arrived
      // before the save, the producer long stopped. Otherwise what arrived within a save interval of the save was
      // applied by batches too soon to save again.
      const busySince = savedBehindStream(shard, this.options.lastSeenSaveIntervalMs)
        ? shard.arrivedUntil! + 1
        : shard.savedAt + this.options.lastSeenSaveIntervalMs;
      try {
        if (await this.activity.arrivedSince(shard.shardId, busySince)) {
          busyShards.push(shard.shardId);
          continue;
        }
      } catch {
        unansweredShards.push(shard.shardId);
        continue;
      }
      for (const [name, time] of shard.lastSeen) {
        if (now - time <= this.options.policy.silenceAfterMs) continue;
        lastSeen.set(name, Math.max(time, lastSeen.get(name) ?? -Infinity));
        const at = shard.unstored?.get(name);
        if (at !== undefined && time >= (unstored.get(name)?.lastReadingTime ?? -Infinity)) unstored.set(name, healthyState(name, time, at));
      }
    }
    const stored = await this.store.load([...lastSeen.keys()]);
    const alerts: UnicornAlert[] = [];
    const changes: HealthChange[] = [];
    for (const name of lastSeen.keys()) {
      // An item, if there is one, wins over the record; without one the write is conditional on there still being none.
      const item = stored.get(name);
      const state = item?.state ?? unstored.get(name);
      if (state === undefined) continue;
      const version = item?.version;
      const update = detectSilence({ ...state, lastReadingTime: Math.max(state.lastReadingTime, lastSeen.get(name)!) }, now, this.options.policy);
      if (!update.levelsChanged || update.state === undefined) continue;
      alerts.push(...update.alerts);
      changes.push({ state: update.state, expectedVersion: version });
    }
    await this.alerts.publish(alerts);
    // A conflict means the unicorn reported (or another scan ran) meanwhile: the next scan judges it afresh.
    const { conflicts } = await this.store.applyTransitions(changes);
    return { alerts, conflicts, busyShards, unansweredShards };
  }
}
