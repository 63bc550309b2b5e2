import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { InvalidAlertError, parseStatusTime, UNICORN_ALERT, type AlertPublisher, type UnicornAlert } from '@wildrydes/domain';
import {
  chunk,
  DEFAULT_BACKOFF,
  REAL_BACKOFF_ENVIRONMENT,
  retryUnprocessed,
  type BackoffEnvironment,
  type BackoffPolicy,
} from '../sdk/capped-backoff';
import { AlertPublishError, type AlertPublishFailure } from '@wildrydes/domain';

/** PutEvents takes at most 10 entries. Alerts are ~0.5 KB, so the 256 KB request limit is never near. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Entry error codes EventBridge documents as retryable; the rest (MalformedDetail, AccessDenied…) are final. */
export const RETRYABLE_EVENT_ERRORS: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException']);

/** Whole-call errors worth retrying once the SDK's own retries are spent. */
const RETRYABLE_CALL_ERRORS: ReadonlySet<string> = new Set(['ThrottlingException', 'InternalException', 'ServiceUnavailable']);

export interface EventBridgeAlertPublisherOptions {
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
}

/** The PutEvents entry for one alert: the `unicorn-alert` contract, stamped with the reading's time. */
export function alertEntry(alert: UnicornAlert, eventBusName: string): PutEventsRequestEntry {
  const readingTime = parseStatusTime(alert.readingTime);
  if (!Number.isFinite(readingTime)) throw new InvalidAlertError(`readingTime ${JSON.stringify(alert.readingTime)} is not a UTC status time`);
  return {
    EventBusName: eventBusName,
    Source: UNICORN_ALERT.source,
    DetailType: UNICORN_ALERT.detailType,
    Detail: JSON.stringify(alert),
    // The reading's time, not the publish time: a replayed alert carries the same time as the first one.
    Time: new Date(readingTime),
    Resources: [],
  };
}

/** Publishes `unicorn-alert` events on an EventBridge bus, 10 per PutEvents, retrying only the failed entries. */
export class EventBridgeAlertPublisher implements AlertPublisher {
  private readonly backoff: BackoffPolicy;
  private readonly environment: BackoffEnvironment;

  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly eventBusName: string,
    options: EventBridgeAlertPublisherOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.environment = options.environment ?? REAL_BACKOFF_ENVIRONMENT;
  }

  async publish(alerts: readonly UnicornAlert[]): Promise<void> {
    // Built before anything is sent, so an invalid alert fails the call without publishing half of it.
    const entries = new Map(alerts.map((alert) => [alert, alertEntry(alert, this.eventBusName)]));
    const final: AlertPublishFailure[] = [];
    const lastError = new Map<UnicornAlert, AlertPublishFailure>();
    let fatal: unknown;

    const attempt = async (pending: readonly UnicornAlert[]): Promise<UnicornAlert[]> => {
      const retry: UnicornAlert[] = [];
      for (const batch of chunk(pending, PUT_EVENTS_MAX_ENTRIES)) {
        if (fatal !== undefined) {
          // A call failed for good (e.g. access denied): what is left is not sent, but is still reported.
          for (const alert of batch) final.push(failureOf(alert, fatal));
          continue;
        }
        let output;
        try {
          output = await this.eventBridge.send(
            new PutEventsCommand({ Entries: batch.map((alert) => entries.get(alert) as PutEventsRequestEntry) }),
          );
        } catch (error) {
          if (RETRYABLE_CALL_ERRORS.has((error as Error).name)) {
            for (const alert of batch) lastError.set(alert, failureOf(alert, error));
            retry.push(...batch);
          } else {
            fatal = error;
            for (const alert of batch) final.push(failureOf(alert, error));
          }
          continue;
        }
        batch.forEach((alert, i) => {
          const entry = output.Entries?.[i];
          // Success is an EventId; an entry without one was not accepted, whatever else it says.
          if (entry?.EventId !== undefined && entry.ErrorCode === undefined) return;
          const failure: AlertPublishFailure = {
            alertId: alert.alertId,
            errorCode: entry?.ErrorCode ?? 'InternalFailure',
            errorMessage: entry?.ErrorMessage ?? 'no entry in the PutEvents response',
          };
          if (RETRYABLE_EVENT_ERRORS.has(failure.errorCode)) {
            lastError.set(alert, failure);
            retry.push(alert);
          } else {
            final.push(failure);
          }
        });
      }
      return retry;
    };

    const { unsent } = await retryUnprocessed(alerts, attempt, this.backoff, this.environment);
    for (const alert of unsent) final.push(lastError.get(alert) ?? failureOf(alert, undefined));
    if (final.length > 0) throw new AlertPublishError(final, fatal === undefined ? undefined : { cause: fatal });
  }
}

function failureOf(alert: UnicornAlert, error: unknown): AlertPublishFailure {
  return {
    alertId: alert.alertId,
    errorCode: error instanceof Error ? error.name : 'Unknown',
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}
