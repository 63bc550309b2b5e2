import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { ANY_FREE_PORTS, eventually } from './local-runtime.test-support';
import type { RelayedS3Event } from './emulator-host.protocol';
import { startLocalRuntime, type LocalRuntime } from './start-local-runtime';

const DASHBOARD = 'http://127.0.0.1:4580';

/** A raw request, so the test controls the path, Host and Origin exactly (an SDK would normalise them). */
function raw(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { host: `${hostname}:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the emulator host\'s guards (issue 12, defects 6 and 7) and S3 notifications', () => {
  let parent: string;
  let dataDir: string;
  let runtime: LocalRuntime;
  let clients: AwsClients;
  const events: RelayedS3Event[] = [];

  beforeAll(async () => {
    // The data folder sits inside a scratch folder, so a file written outside it can be looked for.
    parent = await mkdtemp(join(tmpdir(), 'wildrydes-guard-test-'));
    dataDir = join(parent, 'data');
    runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS, dataDir, allowedOrigins: [DASHBOARD], s3NotificationPrefixes: ['uploads/'] });
    runtime.onS3Event((event) => events.push(event));
    clients = createAwsClients(runtime.endpoints);
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'guard-test' }));
  });
  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
    await rm(parent, { recursive: true, force: true });
  });

  it('refuses a key with ".." segments with S3\'s error document, and writes no file outside the data folder', async () => {
    for (const key of ['uploads/../../../../outside.ndjson', 'uploads/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside2.ndjson']) {
      const answer = await raw(runtime.endpoints.s3, 'PUT', `/guard-test/${key}`, { 'content-type': 'application/x-ndjson' }, '{"Name":"x"}\n');
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/<Code>InvalidArgument<\/Code>/);
    }
    expect(existsSync(join(parent, 'outside.ndjson'))).toBe(false);
    expect(existsSync(join(dirname(parent), 'outside.ndjson'))).toBe(false);
    expect(await readdir(parent)).toEqual(['data']);
  });

  it.each([['kinesis'], ['dynamodb'], ['s3']] as const)('%s refuses a foreign origin (preflight and call) and a rebinding Host with 403', async (service) => {
    const url = runtime.endpoints[service];
    const preflight = await raw(url, 'OPTIONS', '/', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    const call = await raw(url, 'POST', '/', { origin: 'https://evil.example', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    const rebound = await raw(url, 'POST', '/', { host: `rebind.evil.example:${new URL(url).port}` }, '{}');
    expect([preflight.status, call.status, rebound.status]).toEqual([403, 403, 403]);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the dashboard\'s origin and plain SDK calls through', async () => {
    const preflight = await raw(runtime.endpoints.kinesis, 'OPTIONS', '/', { origin: DASHBOARD, 'access-control-request-method': 'POST' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
    await expect(clients.kinesis.send(new ListStreamsCommand({}))).resolves.toMatchObject({ StreamNames: expect.any(Array) });
  });

  it('relays ObjectCreated under uploads/ as the S3 notification AWS sends Lambda (key URL-encoded), and nothing else', async () => {
    await clients.s3.send(new PutObjectCommand({ Bucket: 'guard-test', Key: 'reports/not-an-upload.json', Body: '{}' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: 'guard-test', Key: 'uploads/fleet day 2+é.ndjson', Body: '{"a":1}\n' }));
    const [event] = await eventually(() => (events.length > 0 ? events : undefined), { what: 'an S3 notification' });
    expect(events).toHaveLength(1);
    expect(event?.Records).toEqual([expect.objectContaining({
      eventSource: 'aws:s3', eventName: 'ObjectCreated:Put',
      s3: expect.objectContaining({
        bucket: expect.objectContaining({ name: 'guard-test', arn: 'arn:aws:s3:::guard-test' }),
        object: expect.objectContaining({ key: 'uploads/fleet+day+2%2B%C3%A9.ndjson', size: 8, eTag: expect.stringMatching(/^[0-9a-f]{32}$/) }),
      }),
    })]);
  });
});
