export {
  EventBridgeApiError,
  startLocalEventBridge,
  type DeadLetter,
  type DeliveryInfo,
  type EventBridgeEnvelope,
  type LocalEventBridge,
  type LocalEventBridgeOptions,
  type TargetHandler,
} from './local-event-bridge-server';
export { InvalidScheduleExpressionError, parseScheduleExpression, type Schedule } from './schedule-expression';
