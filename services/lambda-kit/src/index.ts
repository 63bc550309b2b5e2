export * from './kinesis-event-readings';
export * from './kinesis-batch-handler';
export * from './service-settings';
