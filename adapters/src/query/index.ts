export { DuckDbQueryEngine, type DuckDbQueryEngineOptions } from './duckdb-query-engine';
export { AthenaQueryEngine, type AthenaQueryEngineOptions, type PollingClock } from './athena-query-engine';
export { AthenaQueryFailedError, DuckDbQueryFailedError, InvalidQueryParameterError, QueryTimeoutError } from './query-engine.errors';
export { unicornAlertsTableDdl, wildrydesTableDdl, type AthenaTableOptions } from './athena-table.sql';
export { ALERTS_TABLE, ARCHIVE_TABLES, READINGS_TABLE, selectStarColumns, type ArchiveColumn, type ArchiveTable } from './archive-columns';
export {
  WORKSHOP_QUERIES,
  afterQuery,
  lowVitalsQuery,
  totalDistanceQuery,
  tripQuery,
  type DtRange,
  type NamedQuery,
  type WorkshopQueryName,
} from './workshop-queries';
