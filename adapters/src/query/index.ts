export { DuckDbQueryEngine, type DuckDbQueryEngineOptions } from './duckdb-query-engine';
export { AthenaQueryEngine, type AthenaQueryEngineOptions, type PollingClock } from './athena-query-engine';
export { AthenaQueryFailedError, DuckDbQueryFailedError, QueryTimeoutError } from './query-engine.errors';
