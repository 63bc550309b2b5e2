export * from './reconciliation';
export * from './count-sources';
