export * from './local/runtime/index';
export * from './local/eventbridge/index';
export * from './query/index';
export * from './local/event-source-mapping/index';
export * from './lambda/index';
