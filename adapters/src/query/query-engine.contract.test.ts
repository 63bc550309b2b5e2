import { describe } from 'vitest';
import { AthenaQueryEngine } from './athena-query-engine';
import { duckDbBackedAthenaClient } from './duckdb-backed-athena.fake';
import { DuckDbQueryEngine } from './duckdb-query-engine';
import { writeLocalArchive, type ArchiveLayout } from '@wildrydes/test-kit';
import { queryEngineContract, type QueryEngineFactory } from '@wildrydes/test-kit';

const duckDbOver =
  (layout: ArchiveLayout): QueryEngineFactory =>
  async ({ readings, alerts }) => {
    const archive = await writeLocalArchive(layout, readings, alerts);
    const engine = new DuckDbQueryEngine({ bucketDir: archive.bucketDir, layout });
    return {
      engine,
      dispose: async () => {
        await engine.close();
        await archive.remove();
      },
    };
  };

/** AthenaQueryEngine's polling, paging and value parsing, fed Athena-shaped answers computed by DuckDB. */
const athenaOverFakeClient: QueryEngineFactory = async (archive) => {
  const local = await duckDbOver('s3rver')(archive);
  const engine = new AthenaQueryEngine(
    duckDbBackedAthenaClient(local.engine),
    { workgroup: 'wildrydes', database: 'wildrydes', pollIntervalMs: 1, timeoutMs: 60_000, pageSize: 50 },
    { now: () => Date.now(), sleep: async () => undefined },
  );
  return { engine, dispose: local.dispose };
};

describe.each([
  { implementation: 'DuckDbQueryEngine over an s3rver store', factory: duckDbOver('s3rver') },
  { implementation: 'DuckDbQueryEngine over a plain directory', factory: duckDbOver('plain') },
  { implementation: 'AthenaQueryEngine over a DuckDB-backed fake AthenaClient', factory: athenaOverFakeClient },
])('QueryEngine contract: $implementation', ({ factory }) => {
  queryEngineContract(factory);
});
