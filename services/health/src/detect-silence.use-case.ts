import { detectSilence, type AlertPublisher, type HealthPolicy, type HealthStore, type UnicornAlert } from '@wildrydes/domain';

export interface DetectSilenceOptions {
  readonly policy: HealthPolicy;
  /** The same interval TrackHealth coalesces "last seen" refreshes by: a stored time may be this much behind. */
  readonly lastSeenRefreshMs: number;
}

/**
 * The scheduled scan (every minute): unicorns whose latest reading is older than the silence threshold go
 * silent, with one `UnicornSilent` alert each; the next reading raises `UnicornBack` (in TrackHealth).
 * Because stored "last seen" times may lag by up to the refresh interval, a unicorn is judged against
 * `now - lastSeenRefreshMs`: it is never called silent while it may still be reporting.
 */
export class DetectSilence {
  constructor(
    private readonly store: HealthStore,
    private readonly alerts: AlertPublisher,
    private readonly options: DetectSilenceOptions,
  ) {}

  async execute(now: number): Promise<{ readonly alerts: readonly UnicornAlert[]; readonly conflicts: readonly string[] }> {
    const judgedAt = now - this.options.lastSeenRefreshMs;
    const candidates = await this.store.findUnseenSince(judgedAt - this.options.policy.silenceAfterMs);
    const alerts: UnicornAlert[] = [];
    const changes = [];
    for (const stored of candidates) {
      const update = detectSilence(stored.state, judgedAt, this.options.policy);
      if (!update.levelsChanged || update.state === undefined) continue;
      alerts.push(...update.alerts);
      changes.push({ state: update.state, expectedVersion: stored.version });
    }
    await this.alerts.publish(alerts);
    // A conflict means the unicorn reported (or another scan ran) meanwhile: the next scan judges it afresh.
    const { conflicts } = await this.store.applyTransitions(changes);
    return { alerts, conflicts };
  }
}
