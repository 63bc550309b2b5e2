import { createEnvelope, type EventBridgeEnvelope } from './event-envelope';
import type { RuleState } from './event-bus-state';

export interface RuleSchedulesOptions {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => Date;
  /** Multiplies every interval: 0.001 makes `rate(1 minute)` fire every 60 ms. */
  readonly scale: number;
  /** Hands a scheduled event to the rule's targets; it never goes on a bus. */
  readonly deliver: (rule: RuleState, event: EventBridgeEnvelope) => void;
}

/** One timer per enabled rule with a schedule, sending `Scheduled Event` envelopes as EventBridge does. */
export class RuleSchedules {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: RuleSchedulesOptions) {}

  /** (Re)starts the rule's timer; a no-op for a rule without a schedule, a disabled rule, or after `stopAll()`. */
  start(rule: RuleState): void {
    this.stop(rule);
    const schedule = rule.schedule;
    if (schedule === undefined || rule.state === 'DISABLED' || this.stopped) return;
    const { now, scale } = this.options;
    const fire = (): void => this.options.deliver(rule, this.scheduledEvent(rule));
    if (schedule.kind === 'rate') {
      const timer = setInterval(fire, Math.max(1, schedule.intervalMs * scale));
      // A schedule somebody forgot to delete must not keep the process alive.
      timer.unref();
      this.timers.set(rule.arn, timer);
      return;
    }
    // A cron's gaps differ (month lengths, weekdays), so each firing arms the next one from the clock.
    const armNext = (): void => {
      const from = now();
      const next = schedule.nextAfter(from);
      if (next === undefined) return;
      const timer = setTimeout(() => {
        fire();
        armNext();
      }, Math.max(1, (next.getTime() - from.getTime()) * scale));
      timer.unref();
      this.timers.set(rule.arn, timer);
    };
    armNext();
  }

  stop(rule: RuleState): void {
    const timer = this.timers.get(rule.arn);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(rule.arn);
  }

  stopAll(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduledEvent(rule: RuleState): EventBridgeEnvelope {
    return createEnvelope({
      detailType: 'Scheduled Event',
      source: 'aws.events',
      account: this.options.accountId,
      region: this.options.region,
      timeMs: this.options.now().getTime(),
      resources: [rule.arn],
      detail: {},
    });
  }
}
