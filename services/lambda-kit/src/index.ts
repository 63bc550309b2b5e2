export * from './kinesis-event-readings';
export { kinesisBatchHandler, type BatchOutcome, type HandlerTools } from './kinesis-batch-handler';
export * from './kinesis-window-handler';
export * from './service-settings';
