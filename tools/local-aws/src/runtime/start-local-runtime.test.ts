import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { readLocalEndpoints } from './local-endpoints-file';
import { ANY_FREE_PORTS, eventually, inParallel, isProcessGone } from './local-runtime.test-support';
import { LocalRuntimeDataDirInUseError, LocalRuntimePortInUseError } from './local-runtime.errors';
import { provisionResources } from './provision-resources';
import { startLocalRuntime, type LocalRuntime } from './start-local-runtime';

const TEST_NAMES = {
  telemetryStream: 'runtime-test-telemetry',
  summaryStream: 'runtime-test-summary',
  healthTable: 'RuntimeTestHealth',
  summaryTable: 'RuntimeTestSensorData',
  dataBucket: 'runtime-test-data',
} as const;

describe('a running local runtime', () => {
  let scratch: string;
  let endpointsFile: string;
  let runtime: LocalRuntime;
  let clients: AwsClients;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'wildrydes-runtime-test-'));
    endpointsFile = join(scratch, '.wildrydes', 'local.json');
    runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS, writeEndpointsFile: true, endpointsFilePath: endpointsFile });
    clients = createAwsClients(runtime.endpoints);
    await provisionResources(clients, TEST_NAMES, { telemetryShardCount: 2, summaryShardCount: 1 });
  });

  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('binds every emulator to 127.0.0.1 on the ports the OS gave it', () => {
    const { kinesis, dynamodb, s3 } = runtime.endpoints;

    for (const url of [kinesis, dynamodb, s3]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([kinesis, dynamodb, s3]).size).toBe(3);
    expect(runtime.endpoints.region).toBe('us-east-1');
  });

  it('puts and gets a Kinesis record', async () => {
    const data = Buffer.from(JSON.stringify({ Name: 'Shadowfax', Distance: 12 }));

    const put = await clients.kinesis.send(
      new PutRecordCommand({ StreamName: TEST_NAMES.telemetryStream, PartitionKey: 'Shadowfax', Data: data }),
    );
    const { ShardIterator } = await clients.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: TEST_NAMES.telemetryStream,
        ShardId: put.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: put.SequenceNumber,
      }),
    );
    const { Records } = await clients.kinesis.send(new GetRecordsCommand({ ShardIterator }));

    expect(Records?.[0]?.PartitionKey).toBe('Shadowfax');
    expect(Buffer.from(Records?.[0]?.Data ?? []).toString('utf8')).toBe(data.toString('utf8'));
  });

  it('puts and gets a DynamoDB item, through both the plain and the document client', async () => {
    await clients.documentClient.send(
      new PutCommand({
        TableName: TEST_NAMES.summaryTable,
        Item: { Name: 'Rocinante', StatusTime: '2025-01-01 10:01:00.000', Distance: 42, Dropped: undefined },
      }),
    );

    const viaDocument = await clients.documentClient.send(
      new GetCommand({ TableName: TEST_NAMES.summaryTable, Key: { Name: 'Rocinante', StatusTime: '2025-01-01 10:01:00.000' } }),
    );
    const viaPlain = await clients.dynamodb.send(
      new GetItemCommand({
        TableName: TEST_NAMES.summaryTable,
        Key: { Name: { S: 'Rocinante' }, StatusTime: { S: '2025-01-01 10:01:00.000' } },
      }),
    );

    expect(viaDocument.Item).toEqual({ Name: 'Rocinante', StatusTime: '2025-01-01 10:01:00.000', Distance: 42 });
    expect(viaPlain.Item?.['Distance']).toEqual({ N: '42' });
  });

  it('puts, lists past one page (ListObjectsV2 paging) and gets S3 objects', async () => {
    const keys = Array.from({ length: 1_050 }, (_, i) => `paging/dt=2025-01-01/obj-${String(i).padStart(5, '0')}.json`);
    await inParallel(keys, 32, (key) =>
      clients.s3.send(new PutObjectCommand({ Bucket: TEST_NAMES.dataBucket, Key: key, Body: `{"key":"${key}"}\n` })),
    );

    const listed: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: clients.s3 }, { Bucket: TEST_NAMES.dataBucket, Prefix: 'paging/' })) {
      pages += 1;
      listed.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    }
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: TEST_NAMES.dataBucket, Key: keys[1_049] }));

    expect(pages).toBe(2);
    expect(listed.sort()).toEqual([...keys].sort());
    expect(await object.Body?.transformToString()).toBe(`{"key":"${keys[1_049]}"}\n`);
  });

  it('stores S3 objects as files under s3DataDir, where DuckDB can read them', async () => {
    await clients.s3.send(new PutObjectCommand({ Bucket: TEST_NAMES.dataBucket, Key: 'raw/one.json', Body: '{}' }));

    expect(existsSync(join(runtime.endpoints.s3DataDir, TEST_NAMES.dataBucket, 'raw', 'one.json._S3rver_object'))).toBe(true);
  });

  it('accepts any access key on S3, as real tools send their own', async () => {
    const stranger = new S3Client({
      region: runtime.endpoints.region,
      endpoint: runtime.endpoints.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'whatever' },
    });
    try {
      const listed = await stranger.send(new ListObjectsV2Command({ Bucket: TEST_NAMES.dataBucket, MaxKeys: 1 }));

      expect(listed.KeyCount).toBe(1);
    } finally {
      stranger.destroy();
    }
  });

  it('writes the endpoints file that readLocalEndpoints returns', async () => {
    const file = await readLocalEndpoints(endpointsFile);

    const raw = JSON.parse(await readFile(endpointsFile, 'utf8')) as Record<string, unknown>;

    expect(file).toEqual({ ...runtime.endpoints, pid: process.pid, startedAt: expect.any(String) });
    expect(Object.keys(raw).sort()).toEqual(['dynamodb', 'eventbridge', 'kinesis', 'pid', 'region', 's3', 's3DataDir', 'startedAt']);
    expect(Date.parse(String(raw['startedAt']))).not.toBeNaN();
    expect(runtime.endpointsFile).toBe(endpointsFile);
  });
});

describe('startLocalRuntime lifecycle', () => {
  it('stop() ends the host process and removes the temp dir and the endpoints file', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'wildrydes-runtime-test-'));
    const endpointsFile = join(scratch, 'local.json');
    try {
      const runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS, writeEndpointsFile: true, endpointsFilePath: endpointsFile });
      expect(isProcessGone(runtime.hostPid)).toBe(false);
      expect(existsSync(runtime.endpoints.s3DataDir)).toBe(true);

      await runtime.stop();

      expect(() => process.kill(runtime.hostPid, 0)).toThrow();
      expect(existsSync(runtime.endpoints.s3DataDir)).toBe(false);
      expect(existsSync(endpointsFile)).toBe(false);
      await expect(runtime.exited).resolves.toMatchObject({ requested: true });
      await expect(runtime.stop()).resolves.toBeUndefined();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('keeps streams, tables and objects in dataDir across a stop and a start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wildrydes-runtime-data-'));
    try {
      const first = await startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir });
      const firstClients = createAwsClients(first.endpoints);
      await provisionResources(firstClients, TEST_NAMES);
      await firstClients.documentClient.send(new PutCommand({ TableName: TEST_NAMES.healthTable, Item: { Name: 'Bucephalus', HealthPoints: 150 } }));
      await firstClients.s3.send(new PutObjectCommand({ Bucket: TEST_NAMES.dataBucket, Key: 'kept.json', Body: 'kept' }));
      firstClients.destroy();
      await first.stop();

      const second = await startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir });
      const secondClients = createAwsClients(second.endpoints);
      try {
        const streams = await secondClients.kinesis.send(new ListStreamsCommand({}));
        const tables = await secondClients.dynamodb.send(new ListTablesCommand({}));
        const item = await secondClients.documentClient.send(new GetCommand({ TableName: TEST_NAMES.healthTable, Key: { Name: 'Bucephalus' } }));
        const object = await secondClients.s3.send(new GetObjectCommand({ Bucket: TEST_NAMES.dataBucket, Key: 'kept.json' }));
        const again = await provisionResources(secondClients, TEST_NAMES);

        expect(streams.StreamNames).toEqual(expect.arrayContaining([TEST_NAMES.telemetryStream, TEST_NAMES.summaryStream]));
        expect(tables.TableNames).toEqual(expect.arrayContaining([TEST_NAMES.healthTable, TEST_NAMES.summaryTable]));
        expect(item.Item).toEqual({ Name: 'Bucephalus', HealthPoints: 150 });
        expect(await object.Body?.transformToString()).toBe('kept');
        expect(again.created).toEqual([]);
        expect(second.endpoints.s3DataDir).toBe(join(dataDir, 's3'));
      } finally {
        secondClients.destroy();
        await second.stop();
      }
      expect(existsSync(join(dataDir, 's3'))).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a second runtime on the same dataDir, and the first keeps working', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wildrydes-runtime-data-'));
    const first = await startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir });
    const clients = createAwsClients(first.endpoints);
    try {
      const second = startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir });

      await expect(second).rejects.toBeInstanceOf(LocalRuntimeDataDirInUseError);
      await expect(second).rejects.toMatchObject({ code: 'LOCAL_RUNTIME_DATA_DIR_IN_USE', ownerPid: process.pid });
      await expect(clients.kinesis.send(new ListStreamsCommand({}))).resolves.toMatchObject({ StreamNames: [] });
    } finally {
      clients.destroy();
      await first.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a runtime that died without stopping', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wildrydes-runtime-data-'));
    try {
      await writeFile(join(dataDir, 'runtime.lock'), JSON.stringify({ pid: 2 ** 22 + 12_345 }));

      const runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir });
      await runtime.stop();

      expect(existsSync(join(dataDir, 'runtime.lock'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails with a clear error naming the port and its variable when a port is taken', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as AddressInfo).port;
    try {
      const start = startLocalRuntime({ ports: { ...ANY_FREE_PORTS, dynamodb: takenPort } });

      await expect(start).rejects.toBeInstanceOf(LocalRuntimePortInUseError);
      await expect(start).rejects.toMatchObject({ code: 'LOCAL_RUNTIME_PORT_IN_USE', port: takenPort, service: 'dynamodb' });
      await expect(start).rejects.toThrow(new RegExp(`port ${takenPort}.*WILDRYDES_DYNAMODB_PORT`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('starts the EventBridge stand-in through the hook, in this process, and closes it on stop', async () => {
    let server: Server | undefined;
    let startedWith: unknown;
    const runtime = await startLocalRuntime({
      ports: ANY_FREE_PORTS,
      startEventBridge: async (options) => {
        startedWith = options;
        const started = createHttpServer((_req, res) => res.end('{}'));
        server = started;
        await new Promise<void>((resolve) => started.listen(options.port, options.host, resolve));
        const port = (started.address() as AddressInfo).port;
        return { url: `http://${options.host}:${port}`, port, close: () => new Promise<void>((resolve) => started.close(() => resolve())) };
      },
    });

    expect(startedWith).toEqual({ host: '127.0.0.1', port: 0, allowedOrigins: [] });
    expect(runtime.endpoints.eventbridge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await runtime.stop();
    expect(server?.listening).toBe(false);
  });

  it('leaves no orphan: the host exits by itself when its parent is killed', async () => {
    const fixture = fileURLToPath(new URL('./runtime-parent.fixture.ts', import.meta.url));
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const parent = spawn(process.execPath, ['--import', tsxLoader, fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const started = await eventually(() => (output.includes('\n') ? (JSON.parse(output) as { hostPid: number; s3DataDir: string }) : undefined), {
        timeoutMs: 20_000,
        what: 'the fixture parent reporting its host pid',
      });
      expect(isProcessGone(started.hostPid)).toBe(false);

      parent.kill('SIGKILL');

      await eventually(() => isProcessGone(started.hostPid), { timeoutMs: 10_000, what: 'the orphaned host exiting' });
      await eventually(() => !existsSync(started.s3DataDir), { timeoutMs: 5_000, what: 'the temp dir being removed' });
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('names the variable that chose a port when that port is taken', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const takenPort = (blocker.address() as AddressInfo).port;
    process.env['WILDRYDES_S3_PORT'] = String(takenPort);
    try {
      await expect(startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, eventbridge: 0 } })).rejects.toThrow(
        /s3 port \d+ on 127\.0\.0\.1 is already in use.*WILDRYDES_S3_PORT/,
      );
    } finally {
      delete process.env['WILDRYDES_S3_PORT'];
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
