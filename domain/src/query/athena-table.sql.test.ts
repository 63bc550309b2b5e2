import { describe, expect, it } from 'vitest';
import { unicornAlertsTableDdl, wildrydesTableDdl } from './athena-table.sql';

describe('Athena table DDL', () => {
  it('declares wildrydes over raw/ with the workshop columns, doubles for coordinates and projected dt/hour', () => {
    // Act
    const ddl = wildrydesTableDdl('wildrydes-data-johndoe', { database: 'wildrydes', projectionStartDate: '2026-11-01' });

    // Assess
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS wildrydes.wildrydes (');
    expect(ddl).toContain(
      '  `name` string,\n  `statustime` timestamp,\n  `latitude` double,\n  `longitude` double,\n  `distance` double,\n  `magicpoints` int,\n  `healthpoints` int\n)',
    );
    expect(ddl).toContain('PARTITIONED BY (`dt` string, `hour` string)');
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).toContain("LOCATION 's3://wildrydes-data-johndoe/raw/'");
    expect(ddl).toContain("'projection.enabled' = 'true'");
    expect(ddl).toContain("'projection.dt.type' = 'date'");
    expect(ddl).toContain("'projection.dt.format' = 'yyyy-MM-dd'");
    expect(ddl).toContain("'projection.dt.range' = '2026-11-01,NOW'");
    expect(ddl).toContain("'projection.hour.type' = 'integer'");
    expect(ddl).toContain("'projection.hour.range' = '0,23'");
    expect(ddl).toContain("'projection.hour.digits' = '2'");
    expect(ddl).toContain("'storage.location.template' = 's3://wildrydes-data-johndoe/raw/dt=${dt}/hour=${hour}/'");
  });

  it('declares unicorn_alerts over alerts/ partitioned by day only', () => {
    // Act
    const ddl = unicornAlertsTableDdl('wildrydes-data');

    // Assess
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS unicorn_alerts (');
    expect(ddl).toContain('`alertid` string');
    expect(ddl).toContain('`readingtime` timestamp');
    expect(ddl).toContain('`value` double');
    expect(ddl).toContain('PARTITIONED BY (`dt` string)');
    expect(ddl).toContain("'storage.location.template' = 's3://wildrydes-data/alerts/dt=${dt}/'");
    expect(ddl).not.toContain('projection.hour');
  });

  it.each([["wildrydes'; DROP"], ['UPPER-case'], ['x']])('refuses %j as a bucket name', (bucket) => {
    expect(() => wildrydesTableDdl(bucket)).toThrow(RangeError);
  });
});
