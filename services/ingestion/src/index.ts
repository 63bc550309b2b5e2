export * from './ingestion.config';
export * from './composition-root';
export * from './import-telemetry-file.use-case';
export * from './accept-telemetry.use-case';
export * from './import-upload.handler';
export * from './post-telemetry.handler';
export * from './http-event';
export * from './minute-summary-line';
