import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy';

/** Kinesis' client speaks HTTP/2 by default; the stand-ins (and the project's clients) use HTTP/1.1. */
const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
const proxies: FaultProxy[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  })));
});

/** A stand-in that answers every call with `{}` and counts the calls that reached it. */
async function standIn(): Promise<{ url: string; reached: () => number }> {
  let reached = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      reached++;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"SequenceNumber":"1","ShardId":"shardId-000000000000"}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, reached: () => reached };
}

async function proxy(options: FaultProxyOptions, target?: string): Promise<FaultProxy> {
  const started = await startFaultProxy(options);
  proxies.push(started);
  if (target !== undefined) started.retarget(target);
  return started;
}

describe('fault proxy', () => {
  it.each([
    ['kinesis', (endpoint: string) => new KinesisClient({ ...LOCAL, requestHandler: new NodeHttpHandler(), endpoint }).send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) })), 'ProvisionedThroughputExceededException'],
    ['dynamodb', (endpoint: string) => new DynamoDBClient({ ...LOCAL, endpoint }).send(new GetItemCommand({ TableName: 't', Key: { Name: { S: 'x' } } })), 'ProvisionedThroughputExceededException'],
    ['s3', (endpoint: string) => new S3Client({ ...LOCAL, endpoint, forcePathStyle: true }).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })), 'SlowDown'],
    ['eventbridge', (endpoint: string) => new EventBridgeClient({ ...LOCAL, endpoint }).send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] })), 'ThrottlingException'],
  ] as const)('throttles %s calls with the error AWS gives, which the SDK recognises as throttling', async (service, call, errorName) => {
    // Prepare
    const target = await standIn();
    const faulty = await proxy({ service, seed: 1, shares: { throttle: 1 } }, target.url);

    // Act
    const error = await call(faulty.url).then(() => undefined, (e: unknown) => e as { name: string; $retryable?: { throttling?: boolean } });

    // Assess
    expect(error?.name).toBe(errorName);
    expect(target.reached()).toBe(0);
    expect(faulty.counts).toMatchObject({ calls: 1, throttled: 1 });
  });

  it('answers 500s as AWS does, and passes the rest through untouched', async () => {
    // Prepare
    const target = await standIn();
    const failing = await proxy({ service: 'kinesis', seed: 1, shares: { serverError: 1 } }, target.url);
    const clean = await proxy({ service: 'kinesis', seed: 1, shares: {} }, target.url);
    const put = (endpoint: string) => new KinesisClient({ ...LOCAL, requestHandler: new NodeHttpHandler(), endpoint }).send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) }));

    // Act / Assess
    await expect(put(failing.url)).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    await expect(put(clean.url)).resolves.toMatchObject({ SequenceNumber: '1' });
    expect(target.reached()).toBe(1);
  });

  it('drops the connection after the call took effect, so the caller cannot know it did', async () => {
    // Prepare
    const target = await standIn();
    const faulty = await proxy({ service: 'kinesis', seed: 1, shares: { dropAfterEffect: 1 } }, target.url);

    // Act
    const outcome = await new KinesisClient({ ...LOCAL, requestHandler: new NodeHttpHandler(), endpoint: faulty.url })
      .send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) })).then(() => 'answered', () => 'failed');

    // Assess
    expect(outcome).toBe('failed');
    expect(target.reached()).toBe(1);
    expect(faulty.counts.dropped).toBe(1);
  });

  it('draws the same faults for the same seed', async () => {
    // Prepare
    const target = await standIn();
    const shares = { throttle: 0.2, serverError: 0.2, slow: 0.2 };
    const runs = [];
    for (const seed of [7, 7, 8]) {
      const faulty = await proxy({ service: 'kinesis', seed, shares, slowMs: 1 }, target.url);
      const client = new KinesisClient({ ...LOCAL, requestHandler: new NodeHttpHandler(), endpoint: faulty.url });
      for (let i = 0; i < 30; i++) await client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) })).catch(() => undefined);
      client.destroy();
      runs.push({ ...faulty.counts });
    }

    // Assess
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
    expect(runs[0]!.throttled + runs[0]!.serverErrors + runs[0]!.slowed).toBeGreaterThan(0);
  });

  it('refuses every call during an outage, then serves again', async () => {
    // Prepare
    const target = await standIn();
    const faulty = await proxy({ service: 'kinesis', seed: 1, shares: {} }, target.url);
    const put = () => new KinesisClient({ ...LOCAL, requestHandler: new NodeHttpHandler(), endpoint: faulty.url }).send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: new Uint8Array([1]) }));

    // Act
    const outage = faulty.outage(300);
    const during = await put().then(() => 'answered', () => 'failed');
    await outage;
    const after = await put().then(() => 'answered', () => 'failed');

    // Assess
    expect([during, after]).toEqual(['failed', 'answered']);
    expect(faulty.counts.refused).toBe(1);
  });
});
