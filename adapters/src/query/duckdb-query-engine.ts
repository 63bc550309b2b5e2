import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { QueryEngine, QueryResult, QueryValue } from '@wildrydes/domain';
import { ARCHIVE_TABLES, type ArchiveTable } from '@wildrydes/domain';
import { dtPartitionPredicate, tablesReferenced } from './partition-filter';
import { DuckDbQueryFailedError } from './query-engine.errors';

export interface DuckDbQueryEngineOptions {
  /** The data bucket's folder: `<s3DataDir>/<bucket>` for s3rver, or any folder holding `raw/` and `alerts/`. */
  readonly bucketDir: string;
  /**
   * `s3rver` (default): each object is `<key>._S3rver_object` (s3rver's on-disk store).
   * `plain`: each object is its key, `*.json.gz` (an archive copied down with `aws s3 sync`).
   */
  readonly layout?: 's3rver' | 'plain';
  /** DuckDB worker threads; defaults to 2 because the local stack shares a laptop with the other stand-ins. */
  readonly threads?: number;
}

interface ArchivedObject {
  readonly size: number;
  readonly dt: string;
}

const OBJECT_SUFFIX = { s3rver: '._S3rver_object', plain: '.json.gz' } as const;
const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * Local stand-in for Athena: DuckDB reading the archive's gzip NDJSON straight from disk.
 *
 * Every query gets its own connection with TEMP views defined just before it runs, so objects written since the last
 * query are seen and concurrent queries do not trip over each other's view definitions. The instance may only read
 * inside `bucketDir` (`enable_external_access=false` + `allowed_directories`), so ad-hoc SQL cannot read other files.
 */
export class DuckDbQueryEngine implements QueryEngine {
  private readonly bucketDir: string;
  private readonly suffix: string;
  private instance: Promise<DuckDBInstance> | undefined;

  constructor(private readonly options: DuckDbQueryEngineOptions) {
    this.bucketDir = resolve(options.bucketDir);
    // The directory is pasted into a glob; a glob character in it would silently match other folders.
    if (GLOB_CHARACTERS.test(this.bucketDir)) {
      throw new RangeError(`bucketDir must not contain glob characters: ${this.bucketDir}`);
    }
    this.suffix = OBJECT_SUFFIX[options.layout ?? 's3rver'];
  }

  async query(sql: string): Promise<QueryResult> {
    const objects = new Map<ArchiveTable, ArchivedObject[]>();
    for (const table of ARCHIVE_TABLES) objects.set(table, await this.listObjects(table));

    const connection = await (await this.open()).connect();
    try {
      for (const table of ARCHIVE_TABLES) {
        await connection.run(this.viewSql(table, (objects.get(table) ?? []).length > 0));
      }
      const reader = await run(connection, sql);
      return {
        // Athena lower-cases every column label (`TotalDistance` comes back as `totaldistance`); match it here so a
        // caller written against one engine works against the other.
        columns: reader.columnNames().map((name) => name.toLowerCase()),
        rows: reader.getRows().map((row) => row.map(toQueryValue)),
        bytesScanned: this.bytesScanned(sql, objects),
        engine: 'duckdb',
      };
    } finally {
      connection.disconnectSync();
    }
  }

  /** Releases DuckDB's memory; the engine reopens itself if queried again. */
  async close(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) (await instance).closeSync();
  }

  private open(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: String(this.options.threads ?? 2) });
      const setup = await instance.connect();
      try {
        await setup.run(`SET allowed_directories = [${sqlString(this.bucketDir + '/')}]`);
        await setup.run('SET enable_external_access = false');
      } finally {
        setup.disconnectSync();
      }
      return instance;
    })().catch((error: unknown) => {
      // Don't cache a failed open: the next query tries again.
      this.instance = undefined;
      throw error;
    });
    return this.instance;
  }

  private viewSql(table: ArchiveTable, hasObjects: boolean): string {
    const select = [
      ...table.columns.map((c) => `${quoteIdentifier(c.jsonKey)} AS ${c.name}`),
      ...table.partitions,
    ].join(', ');
    if (!hasObjects) {
      // read_json fails on a glob that matches nothing; an empty, correctly typed view keeps `SELECT COUNT(*)` at 0.
      const typed = [
        ...table.columns.map((c) => `CAST(NULL AS ${c.duckDbType}) AS ${c.name}`),
        ...table.partitions.map((p) => `CAST(NULL AS VARCHAR) AS ${p}`),
      ].join(', ');
      return `CREATE OR REPLACE TEMP VIEW ${table.table} AS SELECT ${typed} WHERE false`;
    }
    const glob = [this.bucketDir, table.prefix, ...table.partitions.map((p) => `${p}=*`), `*${this.suffix}`].join('/');
    const columns = table.columns.map((c) => `${sqlString(c.jsonKey)}: '${c.duckDbType}'`).join(', ');
    const hiveTypes = table.partitions.map((p) => `${sqlString(p)}: 'VARCHAR'`).join(', ');
    return (
      `CREATE OR REPLACE TEMP VIEW ${table.table} AS SELECT ${select} FROM read_json(${sqlString(glob)}, ` +
      `format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, ` +
      `hive_types = {${hiveTypes}}, columns = {${columns}})`
    );
  }

  /**
   * Athena reports the compressed bytes of the objects in the partitions it read. Locally: the size of every object
   * of every table the SQL names, narrowed to the `dt` partitions its WHERE clause provably keeps (see
   * partition-filter.ts). Hour filters are not used, so narrowing is by day at best.
   */
  private bytesScanned(sql: string, objects: ReadonlyMap<ArchiveTable, readonly ArchivedObject[]>): number {
    const named = new Set(tablesReferenced(sql, ARCHIVE_TABLES.map((t) => t.table)));
    let bytes = 0;
    for (const [table, files] of objects) {
      if (!named.has(table.table)) continue;
      const keep = dtPartitionPredicate(sql, table.table);
      for (const file of files) if (keep(file.dt)) bytes += file.size;
    }
    return bytes;
  }

  private async listObjects(table: ArchiveTable): Promise<ArchivedObject[]> {
    const found: ArchivedObject[] = [];
    const walk = async (dir: string, depth: number, dt: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      const partition = table.partitions[depth];
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (partition !== undefined) {
          if (entry.isDirectory() && entry.name.startsWith(`${partition}=`)) {
            await walk(path, depth + 1, partition === 'dt' ? entry.name.slice(3) : dt);
          }
        } else if (entry.isFile() && entry.name.endsWith(this.suffix)) {
          found.push({ size: (await stat(path)).size, dt });
        }
      }
    };
    await walk(join(this.bucketDir, table.prefix), 0, '');
    return found;
  }
}

async function run(connection: DuckDBConnection, sql: string) {
  try {
    return await connection.runAndReadAll(sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DuckDbQueryFailedError(message, { cause: error });
  }
}

/** DuckDB's typed values as the port's plain values: numbers, ISO-8601 UTC timestamps, `YYYY-MM-DD` dates. */
export function toQueryValue(value: DuckDBValue): QueryValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // BIGINT / HUGEINT (COUNT, SUM of integers): exact up to 2^53, which no count over this archive reaches.
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return iso(value.micros / 1000n, value);
  if (value instanceof DuckDBTimestampMillisecondsValue) return iso(value.millis, value);
  if (value instanceof DuckDBTimestampSecondsValue) return iso(value.seconds * 1000n, value);
  if (value instanceof DuckDBTimestampNanosecondsValue) return iso(value.nanos / 1_000_000n, value);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  // Lists, structs, intervals, UUIDs…: DuckDB's own text form, as Athena also returns these as text.
  return value.toString();
}

function iso(millis: bigint, value: { toString(): string }): string {
  const date = new Date(Number(millis));
  // ±infinity timestamps have no ISO form; keep DuckDB's text ('infinity') rather than throw mid-result.
  return Number.isNaN(date.getTime()) ? value.toString() : date.toISOString();
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const quoteIdentifier = (text: string): string => `"${text.replaceAll('"', '""')}"`;
