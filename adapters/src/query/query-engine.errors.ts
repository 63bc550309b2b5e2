export { InvalidQueryParameterError } from '@wildrydes/domain';
/**
 * Errors both adapters throw. `code` is what callers branch on (it is the same for both engines, so an HTTP layer can
 * map `QUERY_FAILED` to 400 without knowing which engine ran); the class says which engine, for logs.
 */

/** Athena ended the query in FAILED (usually bad SQL) or CANCELLED (someone stopped it). */
export class AthenaQueryFailedError extends Error {
  readonly code: 'QUERY_FAILED' | 'QUERY_CANCELLED';

  constructor(
    readonly queryExecutionId: string,
    readonly state: 'FAILED' | 'CANCELLED',
    /** Athena's StateChangeReason, e.g. "line 1:8: Column 'nope' cannot be resolved". */
    readonly reason: string,
    /** Athena's error category (1 system, 2 user, 3 other) and type, when it sent them. */
    readonly athenaError: { readonly category?: number; readonly type?: number } = {},
  ) {
    super(`Athena query ${queryExecutionId} ${state}: ${reason}`);
    this.name = 'AthenaQueryFailedError';
    this.code = state === 'FAILED' ? 'QUERY_FAILED' : 'QUERY_CANCELLED';
  }
}

/** DuckDB refused or failed the query (parser, binder, catalog, conversion or I/O error). */
export class DuckDbQueryFailedError extends Error {
  readonly code = 'QUERY_FAILED' as const;

  constructor(
    /** DuckDB's message, e.g. "Parser Error: syntax error at or near \"SELEC\"". */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`DuckDB query failed: ${reason}`, options);
    this.name = 'DuckDbQueryFailedError';
  }
}

/** The query did not finish within the adapter's timeout; it was asked to stop, so it costs no more. */
export class QueryTimeoutError extends Error {
  readonly code = 'QUERY_TIMEOUT' as const;

  constructor(
    readonly queryExecutionId: string,
    readonly timeoutMs: number,
    /** `cause` is set when asking Athena to stop the query failed too. */
    options?: { cause?: unknown },
  ) {
    super(`Query ${queryExecutionId} did not finish within ${timeoutMs} ms and was stopped`, options);
    this.name = 'QueryTimeoutError';
  }
}

