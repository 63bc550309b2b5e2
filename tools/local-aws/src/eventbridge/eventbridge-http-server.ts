import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBridgeApi } from './eventbridge-api';
import { EventBridgeApiError, toApiError, type Json } from './eventbridge-request-validation';
import type { LiveEventFeeds } from './live-event-feeds';
import { guardRequestListener, type LocalRequestGuardOptions } from '../runtime/local-request-guard';

const TARGET_PREFIX = 'AWSEvents.';

/**
 * PutEvents takes at most 256 KB of entries per request; no other operation comes near it. A body past this is
 * refused as it streams in (never held whole), with the error AWS gives for an oversize PutEvents.
 */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/**
 * The wire: AWS JSON 1.1 (`POST /` with `X-Amz-Target: AWSEvents.<Operation>`), which is what the real
 * `@aws-sdk/client-eventbridge` speaks, plus the stand-in's own `GET /_local/feed`.
 */
export class EventBridgeHttpServer {
  private readonly server: Server;

  constructor(
    private readonly api: EventBridgeApi,
    private readonly feeds: LiveEventFeeds,
    guard: LocalRequestGuardOptions = {},
  ) {
    this.server = createServer(guardRequestListener((request, response) => void this.handle(request, response), guard));
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
  // After a refused oversize body the client may still be sending: close rather than read the rest.
  if (status === 413) response.setHeader('connection', 'close');
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

class RequestTooLargeError extends EventBridgeApiError {
  constructor(size: string) {
    super('ValidationException', `1 validation error detected: the request is ${size} bytes; the total size of a request must be at most ${MAX_REQUEST_BODY_BYTES} bytes (256 KB).`, 413);
  }
}

/** The body as text, refused with RequestTooLargeError as soon as it passes the limit (by Content-Length or as it streams). */
async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES) {
    stopReading(request);
    throw new RequestTooLargeError(String(declared));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      stopReading(request);
      throw new RequestTooLargeError(`over ${MAX_REQUEST_BODY_BYTES}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The rest of a refused body is discarded as it comes (no memory), and the connection closes after the answer. */
function stopReading(request: IncomingMessage): void {
  request.on('data', () => undefined);
  request.resume();
}
