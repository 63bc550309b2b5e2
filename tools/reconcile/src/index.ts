export * from './reconciliation';
export * from './count-sources';
export * from './open-sources';
