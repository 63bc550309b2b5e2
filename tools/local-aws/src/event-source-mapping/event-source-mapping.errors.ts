export type EventSourceMappingErrorCode =
  | 'ESM_INVALID_CONFIGURATION'
  | 'ESM_ALREADY_STARTED'
  | 'ESM_NOT_RUNNING'
  | 'ESM_STOPPED'
  | 'ESM_DRAIN_TIMEOUT';

/** Misuse of the runner or a setting AWS would reject. Transient API and handler errors never surface as this. */
export class EventSourceMappingError extends Error {
  constructor(readonly code: EventSourceMappingErrorCode, message: string) {
    super(message);
    this.name = 'EventSourceMappingError';
  }
}
