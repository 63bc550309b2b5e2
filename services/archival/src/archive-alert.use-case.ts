import {
  InvalidAlertError, alertObjectKey, parseStatusTime, parseUnicornAlert, type ArchiveStore, type Quarantine,
  type RejectionCode, type UnicornAlert,
} from '@wildrydes/domain';

/** One `unicorn-alert` event as the bus delivered it. */
export interface AlertDelivery {
  readonly detail: unknown;
  /** The event's id: the same on EventBridge's own redeliveries, so a quarantined event keeps one key. */
  readonly eventId: string;
  /** When the event was put (epoch ms); partitions the quarantine. */
  readonly receivedAt: number;
}

export type ArchiveAlertResult =
  | { readonly outcome: 'archived'; readonly key: string; readonly alert: UnicornAlert }
  | { readonly outcome: 'quarantined'; readonly code: RejectionCode; readonly reason: string };

/**
 * Archives one alert as `alerts/dt=<reading day>/<alertId>.json.gz`, one object per alert id: a replayed alert
 * (same id) overwrites itself. A detail that breaks the contract is quarantined with its reason rather than
 * thrown away, since dropping it would hide a publisher bug; failed writes throw, so EventBridge retries.
 */
export class ArchiveAlert {
  constructor(
    private readonly store: ArchiveStore,
    private readonly quarantine: Quarantine,
  ) {}

  async execute(delivery: AlertDelivery): Promise<ArchiveAlertResult> {
    const checked = checkAlert(delivery.detail);
    if ('alert' in checked) {
      const key = alertObjectKey(checked.readingTime, checked.alert.alertId);
      await this.store.write(key, [JSON.stringify(checked.alert)]);
      return { outcome: 'archived', key, alert: checked.alert };
    }
    await this.quarantine.keep([{
      sourcePosition: `unicorn-alert:${delivery.eventId}`,
      receivedAt: delivery.receivedAt,
      rejections: [{ code: checked.code, reason: checked.reason, line: 0, raw: rawText(delivery.detail) }],
    }]);
    return { outcome: 'quarantined', code: checked.code, reason: checked.reason };
  }
}

type Checked = { readonly alert: UnicornAlert; readonly readingTime: number } | { readonly code: RejectionCode; readonly reason: string };

/**
 * The contract check: parseUnicornAlert, plus a readingTime that parses (it partitions the key, and the
 * contract's parser only checks that it is a non-empty string). The domain has no alert-specific rejection
 * code, so the closest reading codes are used and the reason names the contract.
 */
function checkAlert(detail: unknown): Checked {
  let alert: UnicornAlert;
  try {
    alert = parseUnicornAlert(detail);
  } catch (error) {
    if (!(error instanceof InvalidAlertError)) throw error;
    const code: RejectionCode = typeof detail !== 'object' || detail === null ? 'NOT_AN_OBJECT' : 'WRONG_TYPE';
    return { code, reason: `not a valid unicorn-alert detail: ${error.message}` };
  }
  const readingTime = parseStatusTime(alert.readingTime);
  if (Number.isNaN(readingTime)) {
    return { code: 'INVALID_TIMESTAMP', reason: `not a valid unicorn-alert detail: readingTime "${alert.readingTime}" is not a timestamp` };
  }
  return { alert, readingTime };
}

function rawText(detail: unknown): string {
  // JSON.stringify(undefined) is undefined: keep the fact that the detail was missing, as text.
  return JSON.stringify(detail) ?? String(detail);
}
