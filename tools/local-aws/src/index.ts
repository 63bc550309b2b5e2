export * from './runtime/index';
export * from './eventbridge/index';
export * from './event-source-mapping/index';
export * from './meter/index';
export * from './fault-proxy/index';
