/**
 * The columns of the two archive tables, written once so the Athena DDL and the DuckDB views cannot drift apart.
 *
 * Names are lower-case because Athena lower-cases every identifier (and SQL is case-insensitive in both engines,
 * so `SELECT Name, SUM(Distance)` still works); `jsonKey` is the key exactly as the writer spells it, because
 * DuckDB's `read_json(columns=...)` matches keys case-sensitively while Hive's JSON SerDe does not.
 * Coordinates and distance are DOUBLE, not the workshop's FLOAT: FLOAT turned 40.7511 into 40.75109100341797.
 */
export interface ArchiveColumn {
  readonly name: string;
  readonly jsonKey: string;
  readonly athenaType: 'string' | 'timestamp' | 'double' | 'int';
  readonly duckDbType: 'VARCHAR' | 'TIMESTAMP' | 'DOUBLE' | 'INTEGER';
}

export interface ArchiveTable {
  readonly table: string;
  /** First key segment in the data bucket, e.g. `raw` for `raw/dt=.../hour=.../x.json.gz`. */
  readonly prefix: string;
  readonly columns: readonly ArchiveColumn[];
  /** Hive-style partition folders under the prefix, outermost first; always strings (`dt=2026-11-22`, `hour=07`). */
  readonly partitions: readonly string[];
}

const column = (jsonKey: string, athenaType: ArchiveColumn['athenaType']): ArchiveColumn => ({
  name: jsonKey.toLowerCase(),
  jsonKey,
  athenaType,
  duckDbType: ({ string: 'VARCHAR', timestamp: 'TIMESTAMP', double: 'DOUBLE', int: 'INTEGER' } as const)[athenaType],
});

/** Readings exactly as the workshop producer wrote them. */
export const READINGS_TABLE: ArchiveTable = {
  table: 'wildrydes',
  prefix: 'raw',
  columns: [
    column('Name', 'string'),
    column('StatusTime', 'timestamp'),
    column('Latitude', 'double'),
    column('Longitude', 'double'),
    column('Distance', 'double'),
    column('MagicPoints', 'int'),
    column('HealthPoints', 'int'),
  ],
  partitions: ['dt', 'hour'],
};

/** Alerts as the health service archives them (`unicorn-alert` contract, schemaVersion 1). */
export const ALERTS_TABLE: ArchiveTable = {
  table: 'unicorn_alerts',
  prefix: 'alerts',
  columns: [
    column('alertId', 'string'),
    column('name', 'string'),
    column('kind', 'string'),
    column('severity', 'string'),
    column('vital', 'string'),
    column('value', 'double'),
    column('threshold', 'double'),
    column('readingTime', 'timestamp'),
    column('latitude', 'double'),
    column('longitude', 'double'),
    column('schemaVersion', 'string'),
  ],
  partitions: ['dt'],
};

export const ARCHIVE_TABLES: readonly ArchiveTable[] = [READINGS_TABLE, ALERTS_TABLE];

/** Column names a `SELECT *` returns, in order: data columns then partition columns (as Athena does). */
export const selectStarColumns = (table: ArchiveTable): string[] => [
  ...table.columns.map((c) => c.name),
  ...table.partitions,
];
