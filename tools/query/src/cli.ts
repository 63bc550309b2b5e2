/**
 * `query`: SQL over the raw archive — DuckDB on the local stack's bucket (or a copy of it), Athena on AWS — and the
 * workshop's queries by name. Results on stdout (aligned table, CSV or JSON); rows, bytes scanned and run time on stderr.
 *
 *   npm run query -- --local "SELECT name, SUM(distance) AS total FROM wildrydes GROUP BY name"
 *   npm run query -- --local --named total-distance [--format csv|json]
 *
 * Exit codes: 0 done, 1 the query failed or the engine cannot be reached (one line on stderr), 2 bad flags.
 */
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryEngine, DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { readLocalEndpoints } from '@wildrydes/local-aws';
import { runMain } from '@wildrydes/cli-support';
import { InvalidQueryParameterError, RESOURCE_NAMES, WORKSHOP_QUERIES, type QueryEngine } from '@wildrydes/domain';
import { parseQueryCommandLine, UsageError, type EngineChoice, type QueryOptions } from './query-options';
import { formatBytes, formatResult } from './result-format';

async function main(argv: readonly string[]): Promise<number> {
  let options: QueryOptions;
  let sql: string;
  try {
    const parsed = parseQueryCommandLine(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    if (parsed.kind === 'exit') return parsed.code;
    options = parsed.options;
    sql = sqlOf(options.query);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof InvalidQueryParameterError)) throw error;
    process.stderr.write(`query: ${error.message}\n(run query --help for usage)\n`);
    return 2;
  }

  let engine: { readonly engine: QueryEngine; close(): Promise<void> } | undefined;
  try {
    engine = await openEngine(options.engine);
    const started = performance.now();
    const result = await engine.engine.query(sql);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(formatResult(result, options.format));
    process.stderr.write(
      `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}; data scanned: ${formatBytes(result.bytesScanned)}; ` +
        `run time: ${seconds.toFixed(2)} s (${result.engine})\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`query: ${describeError(error, options.engine)}\n`);
    return 1;
  } finally {
    await engine?.close();
  }
}

function sqlOf(query: QueryOptions['query']): string {
  if ('sql' in query) return query.sql;
  const { after, name, dt } = query.params;
  const range = dt === undefined ? {} : { dt };
  switch (query.named) {
    case 'total-distance':
      return WORKSHOP_QUERIES['total-distance'].sql(range);
    case 'low-vitals':
      return WORKSHOP_QUERIES['low-vitals'].sql(range);
    case 'after':
      return WORKSHOP_QUERIES.after.sql({ after: after as string, ...range });
    case 'trip':
      return WORKSHOP_QUERIES.trip.sql({ name: name as string, ...range });
  }
}

async function openEngine(choice: EngineChoice): Promise<{ readonly engine: QueryEngine; close(): Promise<void> }> {
  if (choice.kind === 'athena') {
    const client = new AthenaClient({
      ...(choice.region === undefined ? {} : { region: choice.region }),
      ...(choice.endpoint === undefined ? {} : { endpoint: choice.endpoint }),
    });
    const engine = new AthenaQueryEngine(client, {
      workgroup: choice.workgroup,
      database: choice.database,
      ...(choice.outputLocation === undefined ? {} : { outputLocation: choice.outputLocation }),
      pollIntervalMs: 250,
      timeoutMs: choice.timeoutMs,
    });
    return { engine, close: async () => client.destroy() };
  }
  const bucketDir = choice.kind === 'archive-dir' ? choice.dir : join((await localStackEndpoints(choice)).s3DataDir, RESOURCE_NAMES.dataBucket);
  const engine = new DuckDbQueryEngine({ bucketDir, layout: choice.kind === 'archive-dir' ? choice.layout : 's3rver' });
  return { engine, close: () => engine.close() };
}

/** The local stack's endpoints; when AWS_ENDPOINT_URL_S3 chose it, that stack must be the one serving that URL. */
async function localStackEndpoints(choice: Extract<EngineChoice, { kind: 'local' }>): Promise<{ s3DataDir: string }> {
  const endpoints = await readLocalEndpoints(choice.endpointsFile);
  const fromEnvironment = choice.s3EndpointFromEnvironment;
  if (fromEnvironment !== undefined && new URL(fromEnvironment).host !== new URL(endpoints.s3).host) {
    throw new Error(`AWS_ENDPOINT_URL_S3 is ${fromEnvironment}, but the local stack serves S3 at ${endpoints.s3}: load its .wildrydes/local.env again, or use --archive-dir`);
  }
  return endpoints;
}

/** One line: the engine's own complaint (DuckDB adds the offending line and a caret below it; those are dropped). */
function describeError(error: unknown, choice: EngineChoice): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError') return `no AWS credentials for Athena (${message}); set AWS_PROFILE, or use --local`;
  const network = networkCode(error);
  if (choice.kind === 'athena' && network !== undefined) {
    return `cannot reach Athena at ${choice.endpoint ?? `the ${choice.region ?? 'default'} region's endpoint`} (connect ${network})`;
  }
  return name === '' || name === 'Error' || name.endsWith('QueryFailedError') || name.startsWith('LocalStack') ? message : `${name}: ${message}`;
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  return networkCode((error as { cause?: unknown }).cause, depth + 1);
}

runMain('query', main);
