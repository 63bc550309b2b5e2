export { type EventBridgeEnvelope } from './event-envelope';
export { EventBridgeApiError } from './eventbridge-request-validation';
export { startLocalEventBridge, type LocalEventBridge, type LocalEventBridgeOptions } from './local-event-bridge-server';
export { type DeadLetter, type DeliveryInfo, type TargetHandler } from './rule-delivery';
export { InvalidScheduleExpressionError, parseScheduleExpression, type Schedule } from './schedule-expression';
