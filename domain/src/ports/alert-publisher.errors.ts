/** One alert the bus did not take, with the bus's last word on it. */
export interface AlertPublishFailure {
  readonly alertId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** Some alerts could not be published after retries; the others were. Callers retry the batch (ids are stable). */
export class AlertPublishError extends Error {
  readonly code = 'ALERT_PUBLISH_FAILED';
  readonly failedAlertIds: readonly string[];

  constructor(
    readonly failures: readonly AlertPublishFailure[],
    options?: { cause?: unknown },
  ) {
    const ids = failures.map((failure) => failure.alertId);
    const codes = [...new Set(failures.map((failure) => failure.errorCode))].join(', ');
    super(`${failures.length} alert(s) could not be published (${codes}): ${ids.join(', ')}`, options);
    this.name = 'AlertPublishError';
    this.failedAlertIds = ids;
  }
}
