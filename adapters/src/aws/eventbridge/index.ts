export {
  alertEntry,
  EventBridgeAlertPublisher,
  PUT_EVENTS_MAX_ENTRIES,
  RETRYABLE_EVENT_ERRORS,
  type EventBridgeAlertPublisherOptions,
} from './eventbridge-alert-publisher';
export { AlertPublishError, type AlertPublishFailure } from './alert-publisher.errors';
