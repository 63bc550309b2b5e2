import { ALERTS_TABLE, READINGS_TABLE, type ArchiveTable } from './archive-columns';

export interface AthenaTableOptions {
  /** Glue database the table lives in; defaults to the table name alone (the query's context database). */
  readonly database?: string;
  /**
   * First day partition projection enumerates. Athena only plans partitions inside the range, so a day before it is
   * invisible: pick the day the archive started, not "today".
   */
  readonly projectionStartDate?: string;
}

const DEFAULT_PROJECTION_START = '2026-01-01';
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DATABASE_PATTERN = /^[a-z0-9_]{1,255}$/;

/** DDL for `wildrydes`: one row per archived reading, partitions projected from `raw/dt=YYYY-MM-DD/hour=HH/`. */
export const wildrydesTableDdl = (bucketName: string, options: AthenaTableOptions = {}): string =>
  tableDdl(READINGS_TABLE, bucketName, options);

/** DDL for `unicorn_alerts`: one row per archived alert, partitions projected from `alerts/dt=YYYY-MM-DD/`. */
export const unicornAlertsTableDdl = (bucketName: string, options: AthenaTableOptions = {}): string =>
  tableDdl(ALERTS_TABLE, bucketName, options);

function tableDdl(table: ArchiveTable, bucketName: string, options: AthenaTableOptions): string {
  if (!BUCKET_PATTERN.test(bucketName)) throw new RangeError(`Not an S3 bucket name: ${JSON.stringify(bucketName)}`);
  const start = options.projectionStartDate ?? DEFAULT_PROJECTION_START;
  if (!DATE_PATTERN.test(start)) throw new RangeError(`projectionStartDate must be YYYY-MM-DD, got ${JSON.stringify(start)}`);
  if (options.database !== undefined && !DATABASE_PATTERN.test(options.database)) {
    throw new RangeError(`Not a Glue database name: ${JSON.stringify(options.database)}`);
  }
  const name = options.database ? `${options.database}.${table.table}` : table.table;
  const root = `s3://${bucketName}/${table.prefix}/`;
  const projection = Object.entries(partitionProjection(table, start, root));

  // Backticks because Hive DDL reserves some plain words; the HCatalog SerDe matches JSON keys case-insensitively,
  // which is what lets lower-case columns read the producer's `StatusTime`-style keys (as in the workshop).
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (`,
    table.columns.map((c) => `  \`${c.name}\` ${c.athenaType}`).join(',\n'),
    ')',
    `PARTITIONED BY (${table.partitions.map((p) => `\`${p}\` string`).join(', ')})`,
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION '${root}'`,
    'TBLPROPERTIES (',
    projection.map(([k, v]) => `  '${k}' = '${v}'`).join(',\n'),
    ')',
  ].join('\n');
}

/**
 * The partition-projection table properties of an archive table (Athena DDL TBLPROPERTIES, or Glue table
 * parameters in the CDK stack): both come from here, so the two plan the same partitions. `root` is the table
 * location ending in `/`, e.g. `s3://bucket/raw/` (it may hold CDK tokens).
 */
export function partitionProjection(table: ArchiveTable, projectionStartDate: string, root: string): Record<string, string> {
  if (!DATE_PATTERN.test(projectionStartDate)) throw new RangeError(`projectionStartDate must be YYYY-MM-DD, got ${JSON.stringify(projectionStartDate)}`);
  const parameters: Record<string, string> = { 'projection.enabled': 'true' };
  for (const partition of table.partitions) Object.assign(parameters, projectionOf(partition, projectionStartDate));
  parameters['storage.location.template'] = root + table.partitions.map((p) => `${p}=\${${p}}/`).join('');
  return parameters;
}

function projectionOf(partition: string, start: string): Record<string, string> {
  switch (partition) {
    case 'dt':
      return {
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': `${start},NOW`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
      };
    case 'hour':
      return {
        'projection.hour.type': 'integer',
        'projection.hour.range': '0,23',
        'projection.hour.digits': '2',
      };
    default:
      throw new Error(`No projection defined for partition ${partition}`);
  }
}
