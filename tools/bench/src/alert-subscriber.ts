import { RESOURCE_NAMES, UNICORN_ALERT_EVENT_PATTERN, parseUnicornAlert } from '@wildrydes/domain';
import type { ReceivedAlert } from './capacity-measures';
import { BenchError } from './bench.errors';

export interface AlertSubscription {
  /** Every alert received so far, in order of receipt. */
  readonly alerts: readonly ReceivedAlert[];
  /** Lines that were not a valid unicorn-alert envelope. */
  readonly invalid: number;
  /** Ends the subscription; rejects if the feed failed before (e.g. the stack stopped under it). */
  stop(): Promise<void>;
}

/**
 * Subscribes to `unicorn-alert` on the local EventBridge's live feed (`GET /_local/feed`, the one the consumer's
 * `--alerts` reads), in this process so each alert is time-stamped the moment its line arrives. Resolves once the
 * feed is open: the stand-in registers the subscriber before it sends the response headers.
 */
export async function subscribeToAlerts(eventBridgeUrl: string): Promise<AlertSubscription> {
  const url = new URL('/_local/feed', eventBridgeUrl);
  url.searchParams.set('bus', RESOURCE_NAMES.eventBus);
  url.searchParams.set('pattern', JSON.stringify(UNICORN_ALERT_EVENT_PATTERN));
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (!response.ok || response.body === null) {
    throw new BenchError('SUBSCRIBER_FAILED', `the local EventBridge refused the alert feed: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  }
  const alerts: ReceivedAlert[] = [];
  let invalid = 0;
  const body = response.body;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body) {
        const receivedAt = Date.now();
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
          if (line === '') continue;
          try {
            const alert = parseUnicornAlert((JSON.parse(line) as { detail?: unknown }).detail);
            alerts.push({
              alertId: alert.alertId, name: alert.name, kind: alert.kind, readingTime: alert.readingTime, receivedAt,
              vital: alert.vital, value: alert.value, threshold: alert.threshold,
            });
          } catch {
            invalid++;
          }
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  // Until stop() awaits it, a failure must not surface as an unhandled rejection.
  reading.catch(() => undefined);
  return {
    alerts,
    get invalid() {
      return invalid;
    },
    stop: async () => {
      controller.abort();
      await reading;
    },
  };
}
