export * from './kinesis-event-readings';
export * from './kinesis-event.mother';
export * from './service-settings';
