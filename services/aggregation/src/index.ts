export * from './aggregation.config';
export * from './aggregate-minutes.use-case';
export * from './aggregate-minutes.handler';
export * from './composition-root';
