import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBridgeApi } from './eventbridge-api';
import { EventBridgeApiError, toApiError, type Json } from './eventbridge-request-validation';
import type { LiveEventFeeds } from './live-event-feeds';

const TARGET_PREFIX = 'AWSEvents.';

/**
 * The wire: AWS JSON 1.1 (`POST /` with `X-Amz-Target: AWSEvents.<Operation>`), which is what the real
 * `@aws-sdk/client-eventbridge` speaks, plus the stand-in's own `GET /_local/feed`.
 */
export class EventBridgeHttpServer {
  private readonly server: Server;

  constructor(
    private readonly api: EventBridgeApi,
    private readonly feeds: LiveEventFeeds,
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  /** Resolves with the URL clients use, once the port is bound. */
  async listen(port: number, host: string): Promise<{ url: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${urlHost}:${address.port}`, port: address.port };
  }

  /** Drops open connections too: a feed or a keep-alive client would otherwise hold the close open. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await stopped;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'GET' && url.pathname === '/_local/feed') {
        this.openFeed(url, request, response);
        return;
      }
      if (request.method !== 'POST') throw new EventBridgeApiError('UnknownOperationException', 'Only POST is supported.', 404);
      const target = request.headers['x-amz-target'];
      const operationName = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      // Read before answering, even with an error: answering first can reset a connection the client is still sending on.
      const body = await readBody(request);
      if (!this.api.supports(operationName)) throw new EventBridgeApiError('UnknownOperationException', `Operation ${String(target)} is not supported.`);
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        throw new EventBridgeApiError('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new EventBridgeApiError('SerializationException', 'The request body must be a JSON object.');
      }
      sendJson(response, 200, await this.api.invoke(operationName, input as Json));
    } catch (error) {
      const apiError = toApiError(error);
      sendJson(response, apiError.statusCode, { __type: apiError.code, message: apiError.message }, apiError.code);
    }
  }

  private openFeed(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const { busName, compiled } = this.api.resolveFeed(url.searchParams.get('bus'), url.searchParams.get('pattern'));
    response.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
    // Headers and each line go out at once, so a reader sees an event as soon as it is put.
    response.flushHeaders();
    request.socket.setNoDelay(true);
    const unsubscribe = this.feeds.subscribe(busName, compiled, response);
    response.on('close', unsubscribe);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  // A feed that already started streaming cannot switch to an error document.
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
