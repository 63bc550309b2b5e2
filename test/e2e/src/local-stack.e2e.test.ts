import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { KinesisStreamReader, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { FleetSimulation, RESOURCE_NAMES, type UnicornAlert } from '@wildrydes/domain';
import { startLocalStack, type LocalStack } from '@wildrydes/local';
import { until } from '@wildrydes/test-kit';

const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
// Three and a half minutes of a fleet that ended two minutes ago: every minute but the last is closed.
const START = Math.floor((Date.now() - 6 * 60_000) / 60_000) * 60_000;

describe('the whole product on the local stack', () => {
  let stack: LocalStack;
  let engine: DuckDbQueryEngine;
  const alerts: UnicornAlert[] = [];

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    stack = await startLocalStack({ ports: ANY_PORT, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2, onAlert: (a) => alerts.push(a), log: () => undefined });
    engine = new DuckDbQueryEngine({ bucketDir: join(stack.runtime.endpoints.s3DataDir, RESOURCE_NAMES.dataBucket) });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await stack?.stop();
  });

  it('summarises, archives, quarantines and alerts exactly once, whatever the delivery', async () => {
    // Prepare: 4 unicorns for 210 s; Bucephalus declines; every 25th record is poison; some readings come twice or late.
    const sim = new FleetSimulation({ seed: 21, unicorns: 4, startTime: START, scenarios: { decliningUnicorn: 'Bucephalus', poisonEvery: 25, duplicateEvery: 9, lateEvery: 13, lateBySeconds: 20 } });
    const records = [...Array.from({ length: 210 }, () => sim.tick()).flat(), ...sim.flushLate()];
    const encoder = new TextEncoder();
    const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
    const distinct = records.filter((r) => r.kind === 'reading' || r.kind === 'late').map((r) => r.reading!);
    const poison = records.filter((r) => r.kind === 'poison').length;

    // Act: half through Kinesis, then one HTTP POST (NDJSON), then a file upload, each with its share of records.
    const third = Math.floor(records.length / 3);
    await stream.put(records.slice(0, third).map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) })));
    const posted = await fetch(`${stack.ingestionUrl}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: records.slice(third, 2 * third).map((r) => r.data.trimEnd()).join('\n') });
    expect(posted.status).toBe(202);
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: RESOURCE_NAMES.dataBucket, Key: 'uploads/rest.ndjson', Body: Buffer.from(records.slice(2 * third).map((r) => r.data.trimEnd()).join('\n') + '\n') }));

    // Assess: the archive holds every distinct valid reading (SQL over the archived objects).
    await until('the archive', async () => (await engine.query('SELECT count(DISTINCT (name, statustime)) FROM wildrydes')).rows[0]![0], (n) => n === distinct.length);
    await stack.drain();

    // The summaries table equals a GROUP BY over the archive, item for item.
    const sql = await engine.query(`
      SELECT name, strftime(date_trunc('minute', statustime) + INTERVAL 1 MINUTE, '%Y-%m-%d %H:%M:%S.000'), count(*), round(sum(distance), 3),
             min(magicpoints), max(magicpoints), min(healthpoints), max(healthpoints)
      FROM (SELECT DISTINCT name, statustime, distance, magicpoints, healthpoints FROM wildrydes) GROUP BY 1, 2 ORDER BY 1, 2`);
    // A unicorn's open minute reaches the table when its aggregation window closes (2 s here, 15 min deployed).
    const readTable = async () => {
      const rows = [];
      for (const name of ['Bucephalus', 'Pegasus', 'Rocinante', 'Shadowfax']) {
        const { Items } = await stack.clients.documentClient.send(new QueryCommand({ TableName: RESOURCE_NAMES.summaryTable, KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'Name' }, ExpressionAttributeValues: { ':n': name } }));
        for (const item of Items ?? []) rows.push([item['Name'], item['StatusTime'], item['Readings'], item['Distance'], item['MinMagicPoints'], item['MaxMagicPoints'], item['MinHealthPoints'], item['MaxHealthPoints']]);
      }
      return rows;
    };
    const table = await until('every minute in the summaries table', readTable, (rows) => rows.length === sql.rows.length
      && rows.every((row, i) => row[2] === sql.rows[i]![2]));
    expect(table.map((row) => [...row.slice(0, 3), ...row.slice(4)])).toEqual(sql.rows.map((row) => [...row.slice(0, 3), ...row.slice(4)]));
    table.forEach((row, i) => expect(row[3]).toBeCloseTo(sql.rows[i]![3] as number, 2));

    // Every poison record is in the quarantine with its reason.
    const rejectedGlob = join(stack.runtime.endpoints.s3DataDir, RESOURCE_NAMES.dataBucket, 'rejected', '**', '*._S3rver_object');
    const rejected = await until('the quarantine', () => engine.query(`SELECT count(*) FROM read_json('${rejectedGlob}', format='newline_delimited', compression='gzip')`), (r) => Number(r.rows[0]![0]) >= poison, 30_000);
    expect(Number(rejected.rows[0]![0])).toBe(poison);
    // One entry per poison Kinesis record, one for the HTTP request and one for the file (each holds its lines).
    const poisonIn = (part: typeof records) => part.filter((r) => r.kind === 'poison').length;
    const entries = poisonIn(records.slice(0, third)) + Math.sign(poisonIn(records.slice(third, 2 * third))) + Math.sign(poisonIn(records.slice(2 * third)));
    expect(stack.quarantinedRecords()).toBe(entries);

    // Bucephalus's decline raised one low and one critical alert, each archived once by id.
    await until('the alerts', async () => alerts.filter((a) => a.name === 'Bucephalus').length, (n) => n >= 2);
    const archived = await until('the alert archive', async () => (await engine.query("SELECT name, kind, count(*) FROM unicorn_alerts WHERE name = 'Bucephalus' GROUP BY 1, 2 ORDER BY 2")).rows, (rows) => rows.length >= 2);
    expect(archived).toEqual([['Bucephalus', 'VitalCritical', 1], ['Bucephalus', 'VitalLow', 1]]);

    // Closed minutes (all but the last of each unicorn) were emitted to the summary stream once.
    const emitted: string[] = [];
    const abort = new AbortController();
    const reading = (async () => {
      for await (const record of new KinesisStreamReader(stack.clients.kinesis, RESOURCE_NAMES.summaryStream, { pollIntervalMs: 100 } as never).read({ from: 'TRIM_HORIZON', signal: abort.signal })) {
        const s = JSON.parse(new TextDecoder().decode(record.data)) as { Name: string; StatusTime: string };
        emitted.push(`${s.Name}|${s.StatusTime}`);
      }
    })();
    const closedMinutes = new Set(table.map((row) => `${row[0]}|${row[1]}`)).size - 4;
    await until('the summary stream', async () => new Set(emitted).size, (n) => n >= closedMinutes, 30_000);
    abort.abort();
    await reading;
    expect(new Set(emitted).size).toBe(closedMinutes);
  }, 180_000);
});
