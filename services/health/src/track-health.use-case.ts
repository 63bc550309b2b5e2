import {
  applyReadings, type AlertPublisher, type HealthChange, type HealthPolicy, type HealthStore, type Reading,
  type StoredHealth, type UnicornAlert, type UnicornHealthState,
} from '@wildrydes/domain';

export interface TrackHealthOptions {
  readonly policy: HealthPolicy;
  /**
   * How stale the stored "last seen" may get before a plain refresh is written. State changes are written at
   * once; refreshes are coalesced to at most one per unicorn per interval. It must stay well below the silence
   * threshold, and the silence scan allows for it (see detect-silence.use-case.ts).
   */
  readonly lastSeenRefreshMs: number;
  /** Re-reads and re-applies after a lost conditional write, this many times at most. */
  readonly maxConflictRetries: number;
}

export interface TrackHealthResult {
  readonly alerts: readonly UnicornAlert[];
  /** States written (changes and refreshes). */
  readonly written: number;
  /** Unicorns whose readings could not be applied; their records must be redelivered. */
  readonly failedUnicorns: readonly string[];
}

/**
 * Applies a batch of readings to each unicorn's stored health: at most one conditional write per unicorn per
 * batch, "last seen" refreshes coalesced, and one `unicorn-alert` per transition. Alerts are published before
 * the state is written: if the write then fails, redelivery publishes them again with the same ids (subscribers
 * drop duplicates by id); the other order could lose an alert for good.
 */
export class TrackHealth {
  constructor(
    private readonly store: HealthStore,
    private readonly alerts: AlertPublisher,
    private readonly options: TrackHealthOptions,
  ) {}

  async execute(readings: readonly Reading[]): Promise<TrackHealthResult> {
    const byUnicorn = new Map<string, Reading[]>();
    for (const reading of readings) {
      const list = byUnicorn.get(reading.name);
      if (list === undefined) byUnicorn.set(reading.name, [reading]);
      else list.push(reading);
    }
    const published = new Map<string, UnicornAlert>();
    let written = 0;
    let pending = [...byUnicorn.keys()];
    const failed = new Set<string>();
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > this.options.maxConflictRetries) {
        pending.forEach((name) => failed.add(name));
        break;
      }
      const stored = await this.store.load(pending);
      const changes: HealthChange[] = [];
      const alerts: UnicornAlert[] = [];
      for (const name of pending) {
        const change = this.evaluate(stored.get(name), byUnicorn.get(name)!);
        if (change === undefined) continue;
        alerts.push(...change.alerts.filter((a) => !published.has(a.alertId)));
        if (change.write !== undefined) changes.push(change.write);
      }
      try {
        await this.alerts.publish(alerts);
      } catch (error) {
        // Nothing is written for unicorns whose alerts did not go out, so redelivery raises them again.
        const withAlerts = new Set(alerts.map((a) => a.name));
        withAlerts.forEach((name) => failed.add(name));
        changes.splice(0, changes.length, ...changes.filter((c) => !withAlerts.has(c.state.name)));
        if (changes.length === 0) throw error;
      }
      for (const alert of alerts) if (!failed.has(alert.name)) published.set(alert.alertId, alert);
      const outcome = await this.store.applyTransitions(changes);
      written += changes.length - outcome.conflicts.length;
      pending = [...outcome.conflicts];
    }
    return { alerts: [...published.values()], written, failedUnicorns: [...failed] };
  }

  private evaluate(stored: StoredHealth | undefined, readings: readonly Reading[]): { alerts: UnicornAlert[]; write?: HealthChange } | undefined {
    const update = applyReadings(stored?.state, readings, this.options.policy);
    if (update.state === undefined || (!update.advanced && !update.levelsChanged)) return undefined;
    const write = { state: update.state, expectedVersion: stored?.version };
    if (update.levelsChanged || this.refreshDue(stored?.state, update.state)) return { alerts: update.alerts, write };
    return { alerts: update.alerts };
  }

  private refreshDue(before: UnicornHealthState | undefined, after: UnicornHealthState): boolean {
    return before === undefined || after.lastReadingTime - before.lastReadingTime >= this.options.lastSeenRefreshMs;
  }
}
