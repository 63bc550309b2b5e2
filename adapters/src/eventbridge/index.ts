export {
  alertEntry,
  EventBridgeAlertPublisher,
  PUT_EVENTS_MAX_ENTRIES,
  RETRYABLE_EVENT_ERRORS,
  type EventBridgeAlertPublisherOptions,
} from './eventbridge-alert-publisher';
export { createEventBridgeClient } from './eventbridge-client';
export {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  type CompiledEventPattern,
  type JsonScalar,
} from './event-pattern-matcher';
