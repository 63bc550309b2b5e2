export * from './archival.config';
export * from './alert-subscription';
export * from './archive-write-failed.error';
export * from './archive-readings.use-case';
export * from './archive-alert.use-case';
export * from './archive-readings.handler';
export * from './archive-alert.handler';
export * from './composition-root';
