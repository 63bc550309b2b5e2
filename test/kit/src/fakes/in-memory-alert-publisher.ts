import type { AlertPublisher, UnicornAlert } from '@wildrydes/domain';
import { AlertPublishError } from '@wildrydes/domain';

/** Which alerts the fake bus refuses (after the adapter's retries, so: for good). */
export type AlertFailureMode = (alert: UnicornAlert) => boolean;

/**
 * An AlertPublisher that keeps what it published. Told to fail some alerts, it publishes the others and then
 * throws AlertPublishError listing the failed ids, as the EventBridge adapter does.
 */
export class InMemoryAlertPublisher implements AlertPublisher {
  private readonly kept: UnicornAlert[] = [];
  private failureMode: AlertFailureMode | undefined;
  /** How many times publish was called with at least one alert. */
  calls = 0;

  constructor(options: { readonly failureMode?: AlertFailureMode } = {}) {
    this.failureMode = options.failureMode;
  }

  failWith(failureMode: AlertFailureMode | undefined): void {
    this.failureMode = failureMode;
  }

  async publish(alerts: readonly UnicornAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    this.calls += 1;
    const failed: UnicornAlert[] = [];
    for (const alert of alerts) {
      if (this.failureMode?.(alert)) failed.push(alert);
      else this.kept.push(structuredClone(alert));
    }
    if (failed.length > 0) {
      throw new AlertPublishError(
        failed.map((alert) => ({ alertId: alert.alertId, errorCode: 'InternalFailure', errorMessage: 'refused by the in-memory fake' })),
      );
    }
  }

  /** Every alert published, in order (a re-published alert appears again, as it would on the bus). */
  published(): UnicornAlert[] {
    return [...this.kept];
  }
}
