import { gunzipSync, gzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ArchiveObjectNotFoundError } from '@wildrydes/domain';
import { S3ArchiveStore } from './s3-archive-store';
import { S3Quarantine } from './s3-quarantine';

const s3 = mockClient(S3Client);

/** The one method of the SDK's streaming body the adapter uses (@smithy/util-stream is not a direct dependency). */
const bodyOf = (bytes: Uint8Array) =>
  ({ transformToByteArray: async () => Uint8Array.from(bytes) }) as unknown as GetObjectCommandOutput['Body'];
const putInputs = (): PutObjectCommandInput[] => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

describe('S3ArchiveStore', () => {
  let store: S3ArchiveStore;

  beforeEach(() => {
    s3.reset();
    store = new S3ArchiveStore(new S3Client({}), 'wildrydes-data');
  });

  it('writes one gzip NDJSON PutObject with a Buffer body', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    const lines = ['{"Name":"Shadowfax"}', '{"Name":"Ünicörn 🦄"}'];

    // Act
    await store.write('raw/dt=2025-01-01/hour=12/a.json.gz', lines);

    // Assess
    expect(s3).toHaveReceivedCommandExactlyOnceWith(PutObjectCommand, {
      Bucket: 'wildrydes-data',
      Key: 'raw/dt=2025-01-01/hour=12/a.json.gz',
      ContentType: 'application/x-ndjson',
      ContentEncoding: 'gzip',
    });
    const body = putInputs()[0]?.Body;
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(gunzipSync(body as Buffer).toString('utf8')).toBe('{"Name":"Shadowfax"}\n{"Name":"Ünicörn 🦄"}\n');
  });

  it('sends nothing for a line with a line break', async () => {
    // Act
    const writing = store.write('raw/x.json.gz', ['a\nb']);

    // Assess
    await expect(writing).rejects.toMatchObject({ code: 'ARCHIVE_LINE_HAS_LINE_BREAK' });
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('gunzips and splits what it reads', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Bucket: 'wildrydes-data', Key: 'raw/a.json.gz' }).resolves({
      Body: bodyOf(gzipSync('{"a":1}\n\n{"b":2}\n')),
    });

    // Act
    const lines = await store.read('raw/a.json.gz');

    // Assess
    expect(lines).toEqual(['{"a":1}', '', '{"b":2}']);
  });

  it('turns NoSuchKey into ArchiveObjectNotFoundError', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));

    // Act
    const reading = store.read('raw/missing.json.gz');

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ArchiveObjectNotFoundError);
    await expect(reading).rejects.toMatchObject({ code: 'ARCHIVE_OBJECT_NOT_FOUND', key: 'raw/missing.json.gz' });
  });

  it('pages ListObjectsV2 with the continuation token until the listing is complete', async () => {
    // Prepare
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 'page-2', Contents: [{ Key: 'raw/1' }, { Key: 'raw/2' }] })
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 'page-3', Contents: [{ Key: 'raw/3' }] })
      .resolvesOnce({ IsTruncated: false, Contents: [{ Key: 'raw/4' }] });

    // Act
    const keys: string[] = [];
    for await (const key of store.list('raw/')) keys.push(key);

    // Assess
    expect(keys).toEqual(['raw/1', 'raw/2', 'raw/3', 'raw/4']);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'wildrydes-data', Prefix: 'raw/' },
      { Bucket: 'wildrydes-data', Prefix: 'raw/', ContinuationToken: 'page-2' },
      { Bucket: 'wildrydes-data', Prefix: 'raw/', ContinuationToken: 'page-3' },
    ]);
  });

  it('lists nothing for an empty prefix', async () => {
    // Prepare
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false, KeyCount: 0 });

    // Act
    const keys: string[] = [];
    for await (const key of store.list('alerts/')) keys.push(key);

    // Assess
    expect(keys).toEqual([]);
  });
});

describe('S3Quarantine', () => {
  beforeEach(() => {
    s3.reset();
  });

  it('puts each refused record at its rejected/ key as gzip NDJSON, one line per rejection', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    const quarantine = new S3Quarantine(new S3Client({}), 'wildrydes-data');

    // Act
    await quarantine.keep([{
      sourcePosition: 'shardId-000000000000:42',
      receivedAt: Date.UTC(2025, 5, 1, 23, 59, 59, 999),
      rejections: [
        { code: 'INVALID_JSON', reason: 'not JSON', line: 1, raw: '{' },
        { code: 'EMPTY_NAME', reason: 'Name is empty', line: 2, raw: '{"Name":""}' },
      ],
    }]);

    // Assess
    expect(s3).toHaveReceivedCommandExactlyOnceWith(PutObjectCommand, {
      Bucket: 'wildrydes-data',
      Key: 'rejected/dt=2025-06-01/hour=23/shardId-000000000000~3A42.json.gz',
      ContentType: 'application/x-ndjson',
      ContentEncoding: 'gzip',
    });
    expect(gunzipSync(putInputs()[0]?.Body as Buffer).toString('utf8')).toBe(
      '{"sourcePosition":"shardId-000000000000:42","receivedAt":"2025-06-01T23:59:59.999Z","line":1,"code":"INVALID_JSON","reason":"not JSON","raw":"{"}\n' +
        '{"sourcePosition":"shardId-000000000000:42","receivedAt":"2025-06-01T23:59:59.999Z","line":2,"code":"EMPTY_NAME","reason":"Name is empty","raw":"{\\"Name\\":\\"\\"}"}\n',
    );
  });

  it('writes byte-identical objects for the same records, so a retry is invisible', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    const quarantine = new S3Quarantine(new S3Client({}), 'wildrydes-data');
    const batch = [{ sourcePosition: 'file.ndjson#3', receivedAt: 0, rejections: [{ code: 'INVALID_JSON' as const, reason: 'x', line: 3, raw: 'x' }] }];

    // Act
    await quarantine.keep(batch);
    await quarantine.keep(batch);

    // Assess
    const [first, second] = putInputs();
    expect(second).toEqual(first);
  });

  it('fails keep() when a write fails, so the caller retries the batch', async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const quarantine = new S3Quarantine(new S3Client({}), 'wildrydes-data');

    // Act
    const keeping = quarantine.keep([{ sourcePosition: 'p', receivedAt: 0, rejections: [{ code: 'EMPTY_RECORD', reason: 'empty', line: 0, raw: '' }] }]);

    // Assess
    await expect(keeping).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
