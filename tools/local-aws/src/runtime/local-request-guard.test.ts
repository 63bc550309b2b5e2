import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardServer, judgeLocalRequest } from './local-request-guard';

const DASHBOARD = 'http://127.0.0.1:4580';

describe('judgeLocalRequest', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['an SDK call (no Origin) to 127.0.0.1', { host: '127.0.0.1:4567' }, true],
    ['an SDK call to localhost', { host: 'localhost:4567' }, true],
    ['an SDK call to [::1]', { host: '[::1]:4567' }, true],
    ['the Host in capitals', { host: 'LOCALHOST:4567' }, true],
    ['the dashboard\'s own origin', { host: '127.0.0.1:4567', origin: DASHBOARD }, true],
    ['a foreign web origin', { host: '127.0.0.1:4567', origin: 'https://evil.example' }, false],
    ['the origin "null" (a sandboxed page or a file)', { host: '127.0.0.1:4567', origin: 'null' }, false],
    ['the dashboard\'s host on another port', { host: '127.0.0.1:4567', origin: 'http://127.0.0.1:4581' }, false],
    ['a DNS-rebinding name that resolves to 127.0.0.1', { host: 'rebind.evil.example:4567' }, false],
    ['a rebinding name with the loopback as a prefix', { host: '127.0.0.1.evil.example:4567' }, false],
    ['the right name on another port', { host: '127.0.0.1:9999' }, false],
    ['no port (port 80) for a server on 4567', { host: 'localhost' }, false],
    ['no Host at all', {}, false],
    ['a Host with user info', { host: 'user@127.0.0.1:4567' }, false],
  ])('%s → allowed: %s', (_, headers, allowed) => {
    expect(judgeLocalRequest(headers, 4567, { allowedOrigins: [DASHBOARD + '/'] }).allowed).toBe(allowed);
  });
});

describe('guardServer in front of a server', () => {
  let server: Server;
  let port: number;
  let reached = 0;

  beforeAll(async () => {
    // A stand-in that, like kinesalite, answers every preflight with "*": the guard must answer before it.
    server = guardServer(createServer((req, res) => {
      reached++;
      req.resume();
      res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' }).end('{"ok":true}');
    }), { allowedOrigins: [DASHBOARD] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (method: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path: '/', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });

  it('refuses a foreign origin\'s preflight and request with 403, before the server sees them', async () => {
    const before = reached;
    const preflight = await call('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    const post = await call('POST', { origin: 'https://evil.example', 'content-type': 'application/x-amz-json-1.1' });
    expect([preflight.status, post.status]).toEqual([403, 403]);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(post.body)).toMatchObject({ __type: 'AccessDeniedException' });
    expect(reached).toBe(before);
  });

  it('refuses a rebinding page (its own name in Host) with 403', async () => {
    expect((await call('POST', { host: `rebind.evil.example:${port}` })).status).toBe(403);
  });

  it('lets the dashboard\'s preflight and request through with its origin allowed', async () => {
    const preflight = await call('OPTIONS', { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': DASHBOARD, 'access-control-allow-headers': 'content-type,x-amz-target' });
    expect((await call('POST', { origin: DASHBOARD })).status).toBe(200);
  });

  it('lets a client with no Origin (an SDK, the CLI) through', async () => {
    expect(await call('POST', {})).toMatchObject({ status: 200, body: '{"ok":true}' });
  });
});
