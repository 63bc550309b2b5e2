export * from './local-stack';
export * from './local-ingestion';
