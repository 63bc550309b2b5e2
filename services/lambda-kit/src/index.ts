export * from './kinesis-event-readings';
export { batchKeys, kinesisBatchHandler, type BatchOutcome, type HandlerTools } from './kinesis-batch-handler';
export * from './lambda-telemetry';
export * from './kinesis-window-handler';
export * from './service-settings';
