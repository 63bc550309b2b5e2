import { gunzipSync } from 'node:zlib';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_NAMES, REJECTION_CODES, type ImportReport, type QuarantineLine } from '@wildrydes/domain';
import { startLocalStack, type LocalStack } from '@wildrydes/local';
import { corpusBodies, corpusFiles, corpusRecords, neighbour, type CorpusRecord, type Door } from './corpus';
import { until } from '@wildrydes/test-kit';

/**
 * The corpus through the whole local stack, each door as a client uses it: Kinesis PutRecords (the stream services'
 * real handlers on the event-source mappings), POST /telemetry on the local HTTP API, and a file put under uploads/
 * (the S3 notification invokes the import). Every bad record must end in the quarantine with its reason, and every
 * valid neighbour sent beside it must be summarised as if the bad one were not there.
 */
const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
const BUCKET = RESOURCE_NAMES.dataBucket;

describe('bad input through all three doors of the local stack', () => {
  let stack: LocalStack;
  const seenQuarantineKeys = new Map<string, QuarantineLine[]>();

  /** Every quarantine line kept so far, by object key (objects are read once; a key is rewritten only with the same bytes). */
  const quarantine = async (): Promise<QuarantineLine[]> => {
    let token: string | undefined;
    do {
      const page = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'rejected/', ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || seenQuarantineKeys.has(object.Key)) continue;
        const body = await (await stack.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: object.Key }))).Body!.transformToByteArray();
        seenQuarantineKeys.set(object.Key, gunzipSync(body).toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as QuarantineLine));
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return [...seenQuarantineKeys.values()].flat();
  };
  const summarised = async (name: string): Promise<number> =>
    (await stack.clients.documentClient.send(new QueryCommand({ TableName: RESOURCE_NAMES.summaryTable, KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'Name' }, ExpressionAttributeValues: { ':n': name } }))).Items?.length ?? 0;
  const allSummarised = (names: readonly string[]): Promise<boolean[]> => Promise.all(names.map(async (name) => (await summarised(name)) > 0));
  const report = async (key: string): Promise<ImportReport | undefined> => {
    try {
      const output = await stack.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `reports/${key.slice('uploads/'.length)}.json` }));
      return JSON.parse(await output.Body!.transformToString('utf8')) as ImportReport;
    } catch {
      return undefined;
    }
  };
  /** An import that has ended (its report is no longer the progress of one under way). */
  const finished = (r: ImportReport | undefined): boolean => r !== undefined && r.status !== 'in-progress';
  const post = (path: string, init: RequestInit) => fetch(`${stack.ingestionUrl}${path}`, init);
  const recordsFor = (door: Door): CorpusRecord[] => corpusRecords().filter((r) => r.doors.includes(door));

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    // Summaries of the corpus's 2026-01-01 readings are closed within seconds (a 2 s tumbling window).
    stack = await startLocalStack({ ports: ANY_PORT, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2, uploadRetryDelaysMs: [100, 200], log: () => undefined });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('Kinesis: every corpus record, each beside a valid neighbour in one PutRecords, is quarantined with its reason', async () => {
    const bad = recordsFor('kinesis');
    const entries = bad.flatMap((record, i) => [
      { PartitionKey: `bad-${i}`, Data: record.bytes },
      { PartitionKey: `K${i}`, Data: Buffer.from(neighbour(`K${i}`, i) + '\n') },
    ]);
    const put = await stack.clients.kinesis.send(new PutRecordsCommand({ StreamName: RESOURCE_NAMES.telemetryStream, Records: entries }));
    expect(put.FailedRecordCount).toBe(0);
    const positions = bad.map((_, i) => { const entry = put.Records![2 * i]!; return `${entry.ShardId}:${entry.SequenceNumber}`; });

    const lines = await until('the quarantine of every Kinesis record', quarantine, (all) => positions.every((p) => all.some((l) => l.sourcePosition === p)));
    const found = bad.map((record, i) => [record.kind, lines.filter((l) => l.sourcePosition === positions[i]).map((l) => l.code)]);
    expect(found).toEqual(bad.map((record) => [record.kind, [record.code]]));
    const neighbours = bad.map((_, i) => `K${i}`);
    expect(await until('the neighbours summarised', () => allSummarised(neighbours), (s) => s.every(Boolean))).toEqual(neighbours.map(() => true));
  });

  it('HTTP: one body of every corpus line between valid neighbours; 202, each bad line quarantined by line number with its reason', async () => {
    const bad = recordsFor('http');
    const lines = bad.flatMap((record, i) => [record.bytes.toString('utf8'), neighbour(`H${i}`, i)]);
    const response = await post('/telemetry', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines.join('\n') });
    const answer = await response.json() as { accepted: number; rejected: number; rejectedByCode: Record<string, number> };
    expect(response.status).toBe(202);
    expect(answer.accepted).toBe(bad.length);
    expect(answer.rejected).toBe(bad.length);
    const position = `http:${response.headers.get('apigw-requestid')}`;
    const kept = (await until('the HTTP quarantine', quarantine, (all) => all.some((l) => l.sourcePosition === position))).filter((l) => l.sourcePosition === position);
    expect(kept.map((l) => [l.line, l.code])).toEqual(bad.map((record, i) => [2 * i + 1, record.code]));
    const neighbours = bad.map((_, i) => `H${i}`);
    expect(await until('the neighbours summarised', () => allSummarised(neighbours), (s) => s.every(Boolean))).toEqual(neighbours.map(() => true));
  });

  it('upload: one file of every corpus line between valid neighbours; imported, each bad line quarantined by line number', async () => {
    const bad = recordsFor('upload');
    const file = Buffer.concat(bad.flatMap((record, i) => [record.bytes, Buffer.from(`\n${neighbour(`U${i}`, i)}\n`)]));
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/corpus.ndjson', Body: file }));
    const done = await until('the import report', () => report('uploads/corpus.ndjson'), (r) => r?.status === 'imported');
    expect(done).toMatchObject({ readingsSent: bad.length, linesRejected: bad.length });
    const position = `upload:${BUCKET}/uploads/corpus.ndjson`;
    const kept = (await until('the upload quarantine', quarantine, (all) => all.some((l) => l.sourcePosition === position))).filter((l) => l.sourcePosition === position);
    expect(kept.map((l) => [l.line, l.code])).toEqual(bad.map((record, i) => [2 * i + 1, record.code]));
    const neighbours = bad.map((_, i) => `U${i}`);
    expect(await until('the neighbours summarised', () => allSummarised(neighbours), (s) => s.every(Boolean))).toEqual(neighbours.map(() => true));
  });

  it.each(corpusBodies().map((body) => [body.kind, body] as const))('HTTP refuses %s whole, keeping what it carried with the reason', async (_, body) => {
    const response = await post(body.path, { method: body.method, headers: body.headers, ...(body.body === undefined ? {} : { body: body.body }) });
    expect(response.status).toBe(body.status);
    await response.arrayBuffer();
    if (body.code === undefined) return;
    const position = `http:${response.headers.get('apigw-requestid')}`;
    const [kept] = (await until('the body in the quarantine', quarantine, (all) => all.some((l) => l.sourcePosition === position))).filter((l) => l.sourcePosition === position);
    expect(kept).toMatchObject({ code: body.code, line: 0 });
    const keptBytes = Buffer.from(kept!.raw, kept!.rawEncoding === 'base64' ? 'base64' : 'utf8');
    expect(keptBytes.equals((body.body ?? Buffer.alloc(0)).subarray(0, keptBytes.length))).toBe(true);
    if (body.code === 'BODY_TOO_LARGE') expect(kept!.rawBytes).toBe(body.body!.length);
  });

  it('upload: each unusable file ends in a rejected report that says why, its bytes in the quarantine; the next upload imports', async () => {
    for (const file of corpusFiles()) await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `uploads/files/${file.file}`, Body: file.bytes }));
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/files/after.ndjson', Body: `${neighbour('AfterBadFiles', 0)}\n` }));
    for (const file of corpusFiles()) {
      const refused = await until(`the report of ${file.kind}`, () => report(`uploads/files/${file.file}`), finished);
      expect([file.kind, refused?.status, refused?.fileRejection?.code, refused?.readingsSent]).toEqual([file.kind, 'rejected', file.code, 0]);
      const position = `upload:${BUCKET}/uploads/files/${file.file}`;
      const [kept] = (await until('the file in the quarantine', quarantine, (all) => all.some((l) => l.sourcePosition === position))).filter((l) => l.sourcePosition === position);
      expect(Buffer.from(kept!.raw, 'base64').equals(file.bytes)).toBe(true);
    }
    expect(await until('the upload after the bad files', () => report('uploads/files/after.ndjson'), finished)).toMatchObject({ status: 'imported', readingsSent: 1 });
    expect(await until('its reading summarised', () => summarised('AfterBadFiles'), (n) => n > 0)).toBe(1);
  }, 60_000);

  it('fuzz: arbitrary bytes through HTTP and upload never crash a door, and a valid request still works after', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }), async (garbage) => {
      run++;
      const body = Buffer.concat(garbage.flatMap((bytes, i) => [Buffer.from(bytes), Buffer.from(`\n${neighbour(`F${run}-${i}`, i)}\n`)]));
      const response = await post('/telemetry', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      expect([202, 400]).toContain(response.status);
      const answer = await response.json() as { code?: string; rejectedByCode?: Record<string, number> };
      for (const code of Object.keys(answer.rejectedByCode ?? {})) expect(REJECTION_CODES as readonly string[]).toContain(code);
      await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `uploads/fuzz/${run}.ndjson`, Body: body }));
      const imported = await until('the fuzz import', () => report(`uploads/fuzz/${run}.ndjson`), finished);
      expect(imported?.status).toBe('imported');
      expect(imported!.linesRead).toBe(imported!.blankLines + imported!.readingsSent + imported!.summariesWritten + imported!.linesRejected);
    }), { numRuns: 8, seed: 12 });
    const after = await post('/telemetry', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: neighbour('AfterFuzz', 0) });
    expect(after.status).toBe(202);
  }, 120_000);
});
