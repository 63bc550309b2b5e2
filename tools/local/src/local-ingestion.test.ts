import { request as httpRequest } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, S3Event } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayedS3Event } from '@wildrydes/local-aws';
import { deliverUploadNotifications, startIngestionHttpServer } from './local-ingestion';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.close(); });

function post(url: string, path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'POST', path, headers: { 'content-type': 'application/x-ndjson', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local ingestion HTTP server', () => {
  it('holds at most the limit + 1 bytes of a body and tells the function the whole size', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const server = await startIngestionHttpServer(async (event): Promise<APIGatewayProxyStructuredResultV2> => {
      seen.push(event);
      return { statusCode: 413 };
    }, { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 });
    servers.push(server);
    await post(server.url, '/telemetry', Buffer.alloc(300_000, 0x78));
    expect(Buffer.from(seen[0]?.body ?? '', 'base64').length).toBe(1025);
    expect(seen[0]?.headers['content-length']).toBe('300000');
  });

  it('refuses foreign origins and rebinding Host headers with 403, before the function', async () => {
    let calls = 0;
    const server = await startIngestionHttpServer(async () => { calls++; return { statusCode: 202 }; }, { host: '127.0.0.1', port: 0, maxBodyBytes: 1024, allowedOrigins: ['http://127.0.0.1:4580'] });
    servers.push(server);
    const { port } = new URL(server.url);
    expect((await post(server.url, '/telemetry', '{}', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(server.url, '/telemetry', '{}', { host: `rebind.evil.example:${port}` })).status).toBe(403);
    expect(calls).toBe(0);
    expect((await post(server.url, '/telemetry', '{}', { origin: 'http://127.0.0.1:4580' })).status).toBe(202);
    expect((await post(server.url, '/telemetry', '{}')).status).toBe(202);
  });
});

describe('deliverUploadNotifications (S3 → Lambda, locally)', () => {
  const notification = (key: string): RelayedS3Event => ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key } } }] });
  const fakeRelay = () => {
    let listener: ((event: RelayedS3Event) => void) | undefined;
    return { subscribe: (l: (event: RelayedS3Event) => void) => { listener = l; return () => { listener = undefined; }; }, emit: (e: RelayedS3Event) => listener?.(e) };
  };

  it('invokes the import once per notification, in order, at once', async () => {
    const relay = fakeRelay();
    const keys: string[] = [];
    const uploads = deliverUploadNotifications(relay.subscribe, async (event: S3Event) => { keys.push(event.Records[0]!.s3.object.key); }, { log: () => undefined });
    relay.emit(notification('uploads/a.ndjson'));
    relay.emit(notification('uploads/b.ndjson'));
    await uploads.idle();
    expect(keys).toEqual(['uploads/a.ndjson', 'uploads/b.ndjson']);
    await uploads.stop();
  });

  it('retries a failing import twice, then sets it aside and goes on with the next (never forever)', async () => {
    const relay = fakeRelay();
    const attempts = new Map<string, number>();
    const uploads = deliverUploadNotifications(relay.subscribe, async (event: S3Event) => {
      const key = event.Records[0]!.s3.object.key;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      if (key.includes('bad')) throw new Error('table unreachable');
    }, { retryDelaysMs: [1, 1], log: () => undefined });
    relay.emit(notification('uploads/bad.ndjson'));
    relay.emit(notification('uploads/good.ndjson'));
    await uploads.idle();
    expect(Object.fromEntries(attempts)).toEqual({ 'uploads/bad.ndjson': 3, 'uploads/good.ndjson': 1 });
    expect(uploads.failed().map((e) => e.Records[0]!.s3.object.key)).toEqual(['uploads/bad.ndjson']);
    await uploads.stop();
  });
});
