import { describe, expect, it } from 'vitest';
import { partitionProjection } from './athena-table.sql';
import type { ArchiveTable } from './archive-columns';

const table = (partitions: string[]): ArchiveTable => ({ table: 't', prefix: 'raw', columns: [], partitions });

describe('partitionProjection', () => {
  it('gives the table properties of dt/hour projection, as the DDL writes them and the CDK Glue table sets them', () => {
    expect(partitionProjection(table(['dt', 'hour']), '2026-01-01', 's3://b/raw/')).toEqual({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2026-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': 's3://b/raw/dt=${dt}/hour=${hour}/',
    });
  });

  it.each(['2026-1-01', '', 'NOW'])('refuses the start date %j', (start) => {
    expect(() => partitionProjection(table(['dt']), start, 's3://b/raw/')).toThrow(RangeError);
  });

  it('refuses a partition it has no projection for', () => {
    expect(() => partitionProjection(table(['region']), '2026-01-01', 's3://b/raw/')).toThrow(/No projection defined for partition region/);
  });
});
