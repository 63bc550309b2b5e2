import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type Datum,
  type GetQueryResultsCommandInput,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import type { QueryEngine, QueryResult, QueryValue } from '@wildrydes/domain';
import { AthenaQueryFailedError, QueryTimeoutError } from './query-engine.errors';

export interface AthenaQueryEngineOptions {
  readonly workgroup: string;
  /** Glue database holding `wildrydes` and `unicorn_alerts`, so queries need not qualify table names. */
  readonly database: string;
  /** S3 prefix for result files; leave it out when the workgroup enforces its own output location. */
  readonly outputLocation?: string;
  /** First wait between GetQueryExecution polls; each later wait doubles, up to `maxPollIntervalMs`. */
  readonly pollIntervalMs: number;
  /** Cap on the wait between polls (default 2 s): long queries are polled steadily, not ever more rarely. */
  readonly maxPollIntervalMs?: number;
  /** After this long the query is stopped (so it stops billing) and the call fails with QueryTimeoutError. */
  readonly timeoutMs: number;
  /** Rows per GetQueryResults page; Athena's maximum, 1000, by default. */
  readonly pageSize?: number;
}

/** Time as an argument so tests can run the polling loop without waiting. */
export interface PollingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: PollingClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

/** Runs SQL on Amazon Athena and returns every row (Athena pages results; this reads all pages). */
export class AthenaQueryEngine implements QueryEngine {
  constructor(
    private readonly client: AthenaClient,
    private readonly options: AthenaQueryEngineOptions,
    private readonly clock: PollingClock = systemClock,
  ) {}

  async query(sql: string): Promise<QueryResult> {
    const start: StartQueryExecutionCommandInput = {
      QueryString: sql,
      QueryExecutionContext: { Database: this.options.database },
      WorkGroup: this.options.workgroup,
      ...(this.options.outputLocation ? { ResultConfiguration: { OutputLocation: this.options.outputLocation } } : {}),
    };
    const { QueryExecutionId: id } = await this.client.send(new StartQueryExecutionCommand(start));
    if (!id) throw new Error('Athena StartQueryExecution returned no QueryExecutionId');

    const execution = await this.waitForCompletion(id);
    const { columns, rows } = await this.readResults(id, execution.hasHeaderRow);
    return { columns, rows, bytesScanned: execution.bytesScanned, engine: 'athena' };
  }

  private async waitForCompletion(id: string): Promise<{ bytesScanned: number; hasHeaderRow: boolean }> {
    const startedAt = this.clock.now();
    const maxInterval = Math.max(this.options.maxPollIntervalMs ?? 2_000, this.options.pollIntervalMs);
    let interval = this.options.pollIntervalMs;
    for (;;) {
      const { QueryExecution: execution } = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const status = execution?.Status;
      const state = status?.State;
      if (state === 'SUCCEEDED') {
        return {
          bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
          // Only SELECT-like (DML) results start with a row of column labels; DDL and SHOW results do not.
          hasHeaderRow: execution?.StatementType !== 'DDL' && execution?.StatementType !== 'UTILITY',
        };
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new AthenaQueryFailedError(
          id,
          state,
          status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'Athena gave no reason',
          { category: status?.AthenaError?.ErrorCategory, type: status?.AthenaError?.ErrorType },
        );
      }
      const elapsed = this.clock.now() - startedAt;
      if (elapsed >= this.options.timeoutMs) await this.stopAndThrow(id);
      await this.clock.sleep(Math.min(interval, this.options.timeoutMs - elapsed));
      interval = Math.min(interval * 2, maxInterval);
    }
  }

  private async stopAndThrow(id: string): Promise<never> {
    let stopFailure: unknown;
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch (error) {
      // The timeout is what the caller needs to know; a failed stop rides along as the cause, not instead of it.
      stopFailure = error;
    }
    throw new QueryTimeoutError(id, this.options.timeoutMs, stopFailure === undefined ? undefined : { cause: stopFailure });
  }

  private async readResults(id: string, hasHeaderRow: boolean): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
    let columnInfo: ColumnInfo[] | undefined;
    const rows: QueryValue[][] = [];
    let nextToken: string | undefined;
    let firstPage = true;
    do {
      const input: GetQueryResultsCommandInput = {
        QueryExecutionId: id,
        MaxResults: this.options.pageSize ?? 1000,
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
      const page = await this.client.send(new GetQueryResultsCommand(input));
      columnInfo ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const pageRows = page.ResultSet?.Rows ?? [];
      for (const [index, row] of pageRows.entries()) {
        if (firstPage && index === 0 && hasHeaderRow) continue;
        const data = row.Data ?? [];
        rows.push(columnInfo.map((column, i) => toQueryValue(data[i], column.Type ?? 'varchar')));
      }
      nextToken = page.NextToken;
      firstPage = false;
    } while (nextToken);
    return { columns: (columnInfo ?? []).map((c) => (c.Label ?? c.Name ?? '').toLowerCase()), rows };
  }
}

/** Athena sends every value as text; the column's declared type says what it was. A datum without text is NULL. */
export function toQueryValue(datum: Datum | undefined, type: string): QueryValue {
  const text = datum?.VarCharValue;
  if (text === undefined) return null;
  const baseType = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (NUMERIC_TYPES.has(baseType)) return Number(text);
  if (baseType === 'boolean') return text === 'true';
  if (baseType === 'timestamp') return isoTimestamp(text);
  if (baseType === 'timestamp with time zone' && text.endsWith(' UTC')) return isoTimestamp(text.slice(0, -4));
  return text;
}

/** `2026-11-22 10:15:03.120` (Athena's text for a TIMESTAMP, which has no zone: the archive's are UTC) → ISO-8601. */
function isoTimestamp(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const millis = (match[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${match[1]}T${match[2]}.${millis}Z`;
}
