import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type Row,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import type { QueryEngine, QueryResult, QueryValue } from '@wildrydes/domain';

/**
 * An AthenaClient that answers with DuckDB's results dressed in Athena's wire format: a QUEUED → RUNNING → SUCCEEDED
 * sequence, a header row, every value as text (timestamps as `YYYY-MM-DD HH:MM:SS.mmm`), NULL as an empty Datum,
 * pages of `MaxResults` rows chained by NextToken, and FAILED with a StateChangeReason for bad SQL.
 *
 * It lets the shared contract drive AthenaQueryEngine's parsing, polling and paging end to end. It proves nothing
 * about Trino's dialect: SQL is executed by DuckDB. Column types are inferred from the values (it has no catalog).
 */
export function duckDbBackedAthenaClient(local: QueryEngine): AthenaClient {
  const client = new AthenaClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const executions = new Map<string, { polls: number; outcome: Promise<QueryResult | Error> }>();

  mock.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => {
    const id = `fake-${executions.size + 1}`;
    const outcome = local.query(input.QueryString ?? '').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    executions.set(id, { polls: 0, outcome });
    return { QueryExecutionId: id };
  });

  mock.on(GetQueryExecutionCommand).callsFake(async ({ QueryExecutionId }: { QueryExecutionId?: string }) => {
    const execution = executions.get(QueryExecutionId ?? '');
    if (!execution) throw Object.assign(new Error('QueryExecution not found'), { name: 'InvalidRequestException' });
    execution.polls++;
    if (execution.polls === 1) return { QueryExecution: { QueryExecutionId, Status: { State: 'QUEUED' } } };
    if (execution.polls === 2) return { QueryExecution: { QueryExecutionId, Status: { State: 'RUNNING' } } };
    const outcome = await execution.outcome;
    if (outcome instanceof Error) {
      const reason = 'reason' in outcome ? String(outcome.reason) : outcome.message;
      return { QueryExecution: { QueryExecutionId, Status: { State: 'FAILED', StateChangeReason: reason, AthenaError: { ErrorCategory: 2, ErrorType: 1006 } } } };
    }
    return {
      QueryExecution: {
        QueryExecutionId,
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: outcome.bytesScanned },
      },
    };
  });

  mock.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId?: string; NextToken?: string; MaxResults?: number }) => {
    const outcome = await executions.get(input.QueryExecutionId ?? '')?.outcome;
    if (!outcome || outcome instanceof Error) throw Object.assign(new Error('Query has not succeeded'), { name: 'InvalidRequestException' });
    const columnInfo = outcome.columns.map((name, i): ColumnInfo => ({ Name: name, Label: name, Type: athenaTypeOf(outcome.rows.map((r) => r[i] ?? null)) }));
    // Athena's first page starts with the header row and it counts against MaxResults.
    const allRows: Row[] = [
      { Data: outcome.columns.map((name) => ({ VarCharValue: name })) },
      ...outcome.rows.map((row): Row => ({ Data: row.map((value, i) => datumOf(value, columnInfo[i]?.Type)) })),
    ];
    const offset = Number(input.NextToken ?? '0');
    const end = offset + (input.MaxResults ?? 1000);
    return {
      ResultSet: { ResultSetMetadata: { ColumnInfo: columnInfo }, Rows: allRows.slice(offset, end) },
      ...(end < allRows.length ? { NextToken: String(end) } : {}),
    };
  });

  mock.on(StopQueryExecutionCommand).resolves({});
  return client;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function athenaTypeOf(values: readonly QueryValue[]): string {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return 'varchar';
  if (present.every((v) => typeof v === 'number')) return present.every((v) => Number.isInteger(v)) ? 'bigint' : 'double';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'string' && ISO_TIMESTAMP.test(v))) return 'timestamp';
  return 'varchar';
}

function datumOf(value: QueryValue, type: string | undefined): { VarCharValue?: string } {
  if (value === null) return {};
  if (type === 'timestamp' && typeof value === 'string') return { VarCharValue: value.replace('T', ' ').replace('Z', '') };
  return { VarCharValue: String(value) };
}
