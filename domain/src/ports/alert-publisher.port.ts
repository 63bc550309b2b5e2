import type { UnicornAlert } from '../alert/unicorn-alert';

/** Publishes `unicorn-alert` events; throws if any alert could not be delivered after retries. */
export interface AlertPublisher {
  publish(alerts: readonly UnicornAlert[]): Promise<void>;
}
