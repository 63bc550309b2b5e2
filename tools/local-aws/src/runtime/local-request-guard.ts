/**
 * The one guard in front of every local server (kinesalite, dynalite, s3rver, the EventBridge stand-in, the
 * ingestion HTTP API). They listen on 127.0.0.1 only, but a web page open in the user's browser can still reach
 * 127.0.0.1: by a cross-origin request (the stand-ins answered `Access-Control-Allow-Origin: *`) or by DNS
 * rebinding (a name of the page's that resolves to 127.0.0.1, so the request is "same-origin" to the browser).
 *
 * - The `Host` header must name this machine's loopback (127.0.0.1, localhost, [::1]) with the server's own port;
 *   a rebinding page sends its own name there, so it gets 403.
 * - A request with an `Origin` must come from an allowed origin (the project's own pages, e.g. the dashboard):
 *   others get 403, CORS preflights included. Allowed origins get their preflight answered here.
 * - A request with no `Origin` (SDKs, the AWS CLI, curl) passes: browsers always send one across origins.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

export interface LocalRequestGuardOptions {
  /** Web origins allowed to call the server from a browser, e.g. `http://127.0.0.1:4580`. Default: none. */
  readonly allowedOrigins?: readonly string[];
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Whether a request may reach a server listening on `port`. Pure, so each rule is tested on its own. */
export function judgeLocalRequest(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  port: number,
  options: LocalRequestGuardOptions = {},
): GuardVerdict {
  // HTTP/2 (the SDK's default for Kinesis) carries the host as the `:authority` pseudo-header.
  const host = single(headers['host']) ?? single(headers[':authority']);
  if (host === undefined) return { allowed: false, reason: 'the request has no Host header' };
  if (!isLoopbackHost(host, port)) return { allowed: false, reason: `Host "${host.slice(0, 100)}" is not this machine's loopback on port ${port}` };
  const origin = single(headers['origin']);
  if (origin === undefined) return { allowed: true };
  if (!normalizedOrigins(options).has(origin.toLowerCase())) return { allowed: false, reason: `origin "${origin.slice(0, 100)}" is not allowed` };
  return { allowed: true };
}

function isLoopbackHost(host: string, port: number): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (match === null) return false;
  const [, name = '', portText] = match;
  const given = portText === undefined ? 80 : Number(portText);
  return LOOPBACK_NAMES.has(name) && given === port;
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function normalizedOrigins(options: LocalRequestGuardOptions): Set<string> {
  return new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
}

/**
 * Wraps a request listener with the guard: refused requests get 403 with a JSON body and never reach it; an
 * allowed origin's CORS preflight is answered here, and its other requests get the CORS headers the browser needs.
 */
export function guardRequestListener(listener: RequestListener, options: LocalRequestGuardOptions = {}): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const port = request.socket.localPort ?? 0;
    const verdict = judgeLocalRequest(request.headers, port, options);
    if (!verdict.allowed) {
      refuse(request, response, verdict.reason);
      return;
    }
    const origin = single(request.headers['origin']);
    if (origin !== undefined) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader('access-control-expose-headers', '*');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
        response.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PUT, DELETE, HEAD',
          'access-control-allow-headers': single(request.headers['access-control-request-headers']) ?? '*',
          'access-control-max-age': '600',
        }).end();
        request.resume();
        return;
      }
    }
    listener(request, response);
  };
}

/** Puts the guard in front of every request listener a server already has (kinesalite and dynalite make their own). */
export function guardServer<T extends Server>(server: T, options: LocalRequestGuardOptions = {}): T {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  for (const listener of listeners) server.on('request', guardRequestListener(listener, options));
  return server;
}

function refuse(request: IncomingMessage, response: ServerResponse, reason: string): void {
  const body = JSON.stringify({ __type: 'AccessDeniedException', message: `Forbidden: ${reason}. Local servers answer this machine's own clients only.` });
  // Not read: the connection is closed after the answer, so nothing more is taken from a refused client.
  // HTTP/2 forbids connection-specific headers; there the stream ends with the answer anyway.
  const close = request.httpVersionMajor === 2 ? {} : { connection: 'close' };
  response.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...close }).end(body);
  request.resume();
}

/** The variable that adds web origins to the allowed list (comma-separated), e.g. the dashboard's. */
export const ALLOWED_ORIGINS_ENV_VAR = 'WILDRYDES_ALLOWED_ORIGINS';

/** Origins named in WILDRYDES_ALLOWED_ORIGINS (comma-separated; blank entries ignored). */
export const allowedOriginsFromEnv = (env: Readonly<Record<string, string | undefined>>): string[] =>
  (env[ALLOWED_ORIGINS_ENV_VAR] ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
