import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from './eventbridge-http-server';
import { startLocalEventBridge, type LocalEventBridge } from './local-event-bridge-server';

const DASHBOARD = 'http://127.0.0.1:4580';

/** Streams `chunks` chunks of 64 KiB with no Content-Length (chunked), so only reading can tell the size. */
function streamPost(url: string, chunks: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string; sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = httpRequest({ host: hostname, port, method: 'POST', path: '/', headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    // The server may close while we still send: that is the point; the answer already came.
    req.on('error', (error) => (sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const write = (): void => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) { req.once('drain', write); return; }
      }
      req.end();
    };
    write();
  });
}

describe('the EventBridge stand-in\'s request limits and guard (issue 12, defects 5 and 7)', () => {
  let bridge: LocalEventBridge;
  let client: EventBridgeClient;
  beforeAll(async () => {
    bridge = await startLocalEventBridge({ port: 0, allowedOrigins: [DASHBOARD] });
    client = new EventBridgeClient({ endpoint: bridge.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bridge.close();
  });

  it('refuses a streamed body past 256 KB as it arrives, with AWS\'s error shape, without reading the rest', async () => {
    const answer = await streamPost(bridge.url, 6_400 /* 400 MiB offered */);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'ValidationException', message: expect.stringMatching(/256 KB/) });
  });

  it('refuses a PutEvents whose Content-Length is past the limit before reading it, through the real SDK', async () => {
    const entry = { Source: 'wildrydes.test', DetailType: 'big', Detail: JSON.stringify({ pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) }), EventBusName: 'default' };
    await expect(client.send(new PutEventsCommand({ Entries: [entry] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('still takes a PutEvents just under the limit', async () => {
    const entry = { Source: 'wildrydes.test', DetailType: 'fits', Detail: JSON.stringify({ pad: 'x'.repeat(200 * 1024) }), EventBusName: 'default' };
    await expect(client.send(new PutEventsCommand({ Entries: [entry] }))).resolves.toMatchObject({ FailedEntryCount: 0 });
  });

  it('refuses a foreign origin and a rebinding Host with 403; allows the dashboard', async () => {
    const { port } = new URL(bridge.url);
    expect((await streamPost(bridge.url, 1, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await streamPost(bridge.url, 1, { host: `rebind.evil.example:${port}` })).status).toBe(403);
    expect((await streamPost(bridge.url, 0, { origin: DASHBOARD })).status).toBe(400);
  });
});
