/** A cell of a query result: SQL values mapped to plain JSON-able JavaScript values (timestamps as ISO strings). */
export type QueryValue = string | number | boolean | null;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly QueryValue[])[];
  /** Bytes the engine read to answer (Athena's DataScannedInBytes; locally the archived bytes read). */
  readonly bytesScanned: number;
  readonly engine: 'athena' | 'duckdb';
}

/** Runs ad-hoc SQL over the archived readings (table `wildrydes`) and alerts (table `unicorn_alerts`). */
export interface QueryEngine {
  query(sql: string): Promise<QueryResult>;
}
