import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine, type AthenaQueryEngineOptions, type PollingClock } from './athena-query-engine';
import { AthenaQueryFailedError, QueryTimeoutError } from './query-engine.errors';

const athena = mockClient(AthenaClient);

const OPTIONS: AthenaQueryEngineOptions = {
  workgroup: 'wildrydes',
  database: 'wildrydes',
  outputLocation: 's3://wildrydes-athena-results/queries/',
  pollIntervalMs: 100,
  maxPollIntervalMs: 400,
  timeoutMs: 5_000,
};

/** A clock whose sleeps return at once and move time forward, so polling and timeouts run instantly. */
function fakeClock(): PollingClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const execution = (state: string, extra: Partial<QueryExecution> = {}) => ({
  QueryExecution: { QueryExecutionId: 'qe-1', Status: { State: state }, ...extra } as QueryExecution,
});
const succeeded = (bytes = 1234) => execution('SUCCEEDED', { StatementType: 'DML', Statistics: { DataScannedInBytes: bytes } });
const row = (...values: (string | undefined)[]): Row => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const columns = (...spec: [string, string][]): ColumnInfo[] => spec.map(([Name, Type]) => ({ Name, Label: Name, Type }));

describe('AthenaQueryEngine', () => {
  let clock: ReturnType<typeof fakeClock>;
  let engine: AthenaQueryEngine;

  beforeEach(() => {
    athena.reset();
    clock = fakeClock();
    engine = new AthenaQueryEngine(new AthenaClient({}), OPTIONS, clock);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'qe-1' });
  });

  it('starts the query in the workgroup with the database as context and the output location', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });

    // Act
    await engine.query('SELECT 1');

    // Assess
    expect(athena).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT 1',
      QueryExecutionContext: { Database: 'wildrydes' },
      WorkGroup: 'wildrydes',
      ResultConfiguration: { OutputLocation: 's3://wildrydes-athena-results/queries/' },
    });
  });

  it('leaves the output location to the workgroup when none is configured', async () => {
    // Prepare
    const { outputLocation: _, ...withoutOutput } = OPTIONS;
    engine = new AthenaQueryEngine(new AthenaClient({}), withoutOutput, clock);
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });

    // Act
    await engine.query('SELECT 1');

    // Assess
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT 1',
      QueryExecutionContext: { Database: 'wildrydes' },
      WorkGroup: 'wildrydes',
    });
  });

  it('polls GetQueryExecution with doubling waits capped at maxPollIntervalMs until SUCCEEDED', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(succeeded(19_810));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns(['n', 'bigint']) }, Rows: [row('n'), row('3')] } });

    // Act
    const result = await engine.query('SELECT COUNT(*) AS n FROM wildrydes');

    // Assess
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 6);
    expect(athena).toHaveReceivedCommandWith(GetQueryExecutionCommand, { QueryExecutionId: 'qe-1' });
    expect(clock.sleeps).toEqual([100, 200, 400, 400, 400]);
    expect(result).toEqual({ columns: ['n'], rows: [[3]], bytesScanned: 19_810, engine: 'athena' });
  });

  it('reads every page with NextToken and skips only the first page header row', async () => {
    // Prepare
    const info = columns(['name', 'varchar'], ['totaldistance', 'double']);
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('name', 'totaldistance'), row('Epona', '10.5')] }, NextToken: 'page-2' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('Rocinante', '3.25')] }, NextToken: 'page-3' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: info }, Rows: [row('Shadowfax', '124302')] } });

    // Act
    const result = await engine.query('SELECT Name, SUM(Distance) AS TotalDistance FROM wildrydes GROUP BY Name');

    // Assess
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(athena.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input)).toEqual([
      { QueryExecutionId: 'qe-1', MaxResults: 1000 },
      { QueryExecutionId: 'qe-1', MaxResults: 1000, NextToken: 'page-2' },
      { QueryExecutionId: 'qe-1', MaxResults: 1000, NextToken: 'page-3' },
    ]);
    expect(result.columns).toEqual(['name', 'totaldistance']);
    expect(result.rows).toEqual([['Epona', 10.5], ['Rocinante', 3.25], ['Shadowfax', 124302]]);
  });

  it('does not skip a row of DDL results, which have no header', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { StatementType: 'DDL', Statistics: { DataScannedInBytes: 0 } }));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns(['tab_name', 'string']) }, Rows: [row('unicorn_alerts'), row('wildrydes')] } });

    // Act
    const result = await engine.query('SHOW TABLES');

    // Assess
    expect(result.rows).toEqual([['unicorn_alerts'], ['wildrydes']]);
  });

  it.each([
    ['varchar', 'Shadowfax', 'Shadowfax'],
    ['varchar', '', ''],
    ['timestamp', '2026-11-22 10:15:03.120', '2026-11-22T10:15:03.120Z'],
    ['timestamp', '2026-11-22 10:15:03', '2026-11-22T10:15:03.000Z'],
    ['timestamp', '2026-11-22 10:15:03.123456', '2026-11-22T10:15:03.123Z'],
    ['timestamp with time zone', '2026-11-22 10:15:03.120 UTC', '2026-11-22T10:15:03.120Z'],
    ['date', '2026-11-22', '2026-11-22'],
    ['bigint', '124302', 124302],
    ['integer', '-7', -7],
    ['double', '40.75109100341797', 40.75109100341797],
    ['double', '1.2345E7', 12_345_000],
    ['float', '29.71', 29.71],
    ['decimal', '12.50', 12.5],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['array', '[1, 2]', '[1, 2]'],
    ['double', undefined, null],
    ['varchar', undefined, null],
  ])('converts a %s value %j to %j', async (type, text, expected) => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns(['v', type]) }, Rows: [row('v'), row(text)] } });

    // Act
    const result = await engine.query('SELECT v');

    // Assess
    expect(result.rows).toEqual([[expected]]);
  });

  it('throws AthenaQueryFailedError with Athena\'s reason when the query FAILED, and reads no results', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING'))
      .resolves(
        execution('FAILED', {
          Status: {
            State: 'FAILED',
            StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
            AthenaError: { ErrorCategory: 2, ErrorType: 1006, ErrorMessage: 'ignored when a reason is given' },
          },
        }),
      );

    // Act
    const failure = await engine.query('SELECT nope FROM wildrydes').catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(AthenaQueryFailedError);
    expect(failure).toMatchObject({
      code: 'QUERY_FAILED',
      state: 'FAILED',
      queryExecutionId: 'qe-1',
      reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
      athenaError: { category: 2, type: 1006 },
    });
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
    expect(athena).not.toHaveReceivedCommand(StopQueryExecutionCommand);
  });

  it('throws QUERY_CANCELLED when someone else stopped the query', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } }));

    // Act & Assess
    await expect(engine.query('SELECT 1')).rejects.toMatchObject({ name: 'AthenaQueryFailedError', code: 'QUERY_CANCELLED', reason: 'Query cancelled by user' });
  });

  it('stops the query and throws QueryTimeoutError once timeoutMs has passed', async () => {
    // Prepare
    engine = new AthenaQueryEngine(new AthenaClient({}), { ...OPTIONS, timeoutMs: 1_000 }, clock);
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});

    // Act
    const failure = await engine.query('SELECT * FROM wildrydes').catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(QueryTimeoutError);
    expect(failure).toMatchObject({ code: 'QUERY_TIMEOUT', queryExecutionId: 'qe-1', timeoutMs: 1_000 });
    // 100 + 200 + 400 + 300: the last wait is cut to the deadline, not slept past it.
    expect(clock.sleeps).toEqual([100, 200, 400, 300]);
    expect(athena).toHaveReceivedCommandExactlyOnceWith(StopQueryExecutionCommand, { QueryExecutionId: 'qe-1' });
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('still reports the timeout when stopping the query fails, with the stop failure as cause', async () => {
    // Prepare
    engine = new AthenaQueryEngine(new AthenaClient({}), { ...OPTIONS, timeoutMs: 100 }, clock);
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const stopFailure = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    athena.on(StopQueryExecutionCommand).rejects(stopFailure);

    // Act
    const failure = await engine.query('SELECT 1').catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(QueryTimeoutError);
    expect((failure as Error).cause).toBe(stopFailure);
  });
});
