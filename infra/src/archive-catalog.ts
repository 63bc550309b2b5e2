/**
 * What the stateful stack needs to know about the archive's tables and the workshop's queries. The domain's
 * `ArchiveTable` and rendered `NamedQuery` satisfy it (see workshop-catalog.ts); the stack depends on no more.
 */
export interface ArchiveColumnSpec {
  readonly name: string;
  readonly athenaType: 'string' | 'timestamp' | 'double' | 'int';
}

export interface ArchiveTableSpec {
  readonly table: string;
  /** First key segment in the data bucket, e.g. `raw`. */
  readonly prefix: string;
  readonly columns: readonly ArchiveColumnSpec[];
  /** Hive-style partition folders under the prefix, outermost first; always strings. */
  readonly partitions: readonly string[];
}

/** A saved Athena query: SQL text ready to run (parameters already filled in with example values). */
export interface NamedQuerySpec {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

export interface ArchiveCatalog {
  readonly tables: readonly ArchiveTableSpec[];
  readonly queries: readonly NamedQuerySpec[];
}

/**
 * Glue table parameters for partition projection, the same properties and values `athena-table.sql.ts` writes in
 * its TBLPROPERTIES, so a table created by the stack and one created by that DDL plan the same partitions.
 * `root` is the table location ending in `/`, e.g. `s3://bucket/raw/` (it may hold CDK tokens).
 */
export function partitionProjection(table: ArchiveTableSpec, projectionStartDate: string, root: string): Record<string, string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(projectionStartDate)) {
    throw new RangeError(`projectionStartDate must be YYYY-MM-DD, got ${JSON.stringify(projectionStartDate)}`);
  }
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
