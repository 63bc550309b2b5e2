import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ALERT_KINDS, ALERT_SEVERITIES, floorToMinute, formatStatusTime, InvalidQueryParameterError, unicornReadingsQuery, WINDOW_MS, type MinuteSummaryReader, type QueryEngine, type UnicornAlert,
} from '@wildrydes/domain';
import { MPH_PER_METRE_PER_SECOND, type UnicornView } from './fleet-view';
import type { LiveEvent, LiveFleet } from './live-fleet';
import { BadRequestError, parseTimeRange } from './request-params';

export interface DashboardServerOptions {
  readonly fleet: LiveFleet;
  readonly minutes: MinuteSummaryReader;
  readonly archive: QueryEngine;
  /** 0 = any free port. */
  readonly port: number;
  /** The folder of index.html, dashboard.js and dashboard.css. */
  readonly pageDir: string;
  /** Optional map tiles, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`; without it the map is a plain grid. */
  readonly tileUrl?: string;
  readonly clock?: () => number;
  readonly limits?: Partial<DashboardLimits>;
}

export interface DashboardLimits {
  /** Longest request target (path and query), in characters. */
  readonly maxUrlLength: number;
  /** Pages connected to the live stream at once. */
  readonly maxLiveClients: number;
  readonly maxMinutesSpanMs: number;
  readonly maxReadingsSpanMs: number;
  /** Rows of raw readings a request returns at most. */
  readonly maxReadings: number;
}

export const DEFAULT_LIMITS: DashboardLimits = {
  maxUrlLength: 2048, maxLiveClients: 32, maxMinutesSpanMs: 24 * 3_600_000, maxReadingsSpanMs: 3_600_000, maxReadings: 10_000,
};

export interface DashboardServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/**
 * The dashboard's HTTP server, on 127.0.0.1 only: the page, a read API over the three tiers (the live view, the
 * minute summaries, the archive through the query engine) and a Server-Sent Events stream of frames and alerts.
 * It answers only requests addressed to itself: a Host other than 127.0.0.1 or localhost with its port (DNS
 * rebinding) or a foreign Origin gets 403.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const clock = options.clock ?? Date.now;
  const live = new Set<ServerResponse>();
  const pages = new Map<string, Buffer>();
  for (const [path, { file }] of Object.entries(PAGE_FILES)) pages.set(path, await readFile(join(options.pageDir, file)));
  const tileOrigin = options.tileUrl === undefined ? undefined : new URL(options.tileUrl.replaceAll(/[{}]/g, '')).origin;
  let port = 0;

  const server = createServer({ maxHeaderSize: 8192, requestTimeout: 30_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : error instanceof BadRequestError || error instanceof InvalidQueryParameterError ? 400 : 500;
      const headers = error instanceof HttpError ? error.headers : {};
      if (status === 500) console.error(`dashboard: ${request.method} ${request.url?.slice(0, 200)}: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, status, { error: status === 500 ? 'internal error (see the server log)' : (error as Error).message }, headers);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    if (target.length > limits.maxUrlLength) throw new HttpError(414, `the request target is longer than ${limits.maxUrlLength} characters`);
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes((request.headers.host ?? '').toLowerCase())) throw new HttpError(403, 'this server answers only to 127.0.0.1 or localhost on its own port');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) throw new HttpError(403, 'cross-origin requests are refused');
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, `${request.method} is not allowed; the dashboard is read-only`, { allow: 'GET, HEAD' });
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > 0 || request.headers['transfer-encoding'] !== undefined) throw new HttpError(413, 'requests to the dashboard carry no body');

    const url = new URL(target, `http://127.0.0.1:${port}`);
    const page = PAGE_FILES[url.pathname];
    if (page !== undefined) return sendPage(response, url.pathname, page.type);
    if (url.pathname === '/api/config') return sendJson(response, 200, { tileUrl: options.tileUrl ?? null, silentAfterMs: 30_000, mphPerMetrePerSecond: MPH_PER_METRE_PER_SECOND });
    if (url.pathname === '/api/unicorns') {
      noParams(url.searchParams);
      return sendJson(response, 200, { time: new Date(clock()).toISOString(), unicorns: options.fleet.view.list().map(toJson) });
    }
    if (url.pathname === '/api/fleet') {
      noParams(url.searchParams);
      return sendJson(response, 200, options.fleet.fleetLine());
    }
    if (url.pathname === '/api/alerts') return sendJson(response, 200, { alerts: filterAlerts(options.fleet.alerts(), url.searchParams) });
    if (url.pathname === '/api/live') {
      noParams(url.searchParams);
      return openLiveStream(request, response);
    }
    const match = /^\/api\/unicorns\/([^/]+)(?:\/(minutes|readings))?$/.exec(url.pathname);
    if (match === null) throw new HttpError(404, `no such page or route: ${url.pathname.slice(0, 100)}`);
    let name: string;
    try {
      name = decodeURIComponent(match[1]!);
    } catch {
      throw new BadRequestError('the unicorn name is not valid percent-encoded UTF-8');
    }
    const unicorn = options.fleet.view.unicorn(name);
    if (unicorn === undefined) throw new HttpError(404, `unknown unicorn ${JSON.stringify(name.slice(0, 64))}`);
    if (match[2] === undefined) {
      noParams(url.searchParams);
      return sendJson(response, 200, toJson(unicorn));
    }
    if (match[2] === 'minutes') {
      const range = parseTimeRange(url.searchParams, clock(), { defaultSpanMs: 3_600_000, maxSpanMs: limits.maxMinutesSpanMs });
      // Windows that overlap the range: from the minute holding `from` to the last minute starting before `to`.
      const minutes = await options.minutes.readMinutes(name, floorToMinute(range.from), range.to);
      return sendJson(response, 200, { name, from: iso(range.from), to: iso(range.to), windowMs: WINDOW_MS, minutes });
    }
    const range = parseTimeRange(url.searchParams, clock(), { defaultSpanMs: 5 * 60_000, maxSpanMs: limits.maxReadingsSpanMs });
    const result = await options.archive.query(unicornReadingsQuery.sql({ name, from: range.from, to: range.to, limit: limits.maxReadings + 1 }));
    const truncated = result.rows.length > limits.maxReadings;
    return sendJson(response, 200, {
      name, from: iso(range.from), to: iso(range.to), engine: result.engine, bytesScanned: result.bytesScanned,
      columns: result.columns, rows: result.rows.slice(0, limits.maxReadings), truncated,
    });
  }

  function sendPage(response: ServerResponse, path: string, type: string): void {
    const imageSources = ["'self'", 'data:', ...(tileOrigin === undefined ? [] : [tileOrigin])].join(' ');
    response.writeHead(200, {
      'content-type': type,
      'content-security-policy': `default-src 'self'; img-src ${imageSources}; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'`,
      ...SECURITY_HEADERS,
      'cache-control': 'no-cache',
    });
    response.end(pages.get(path));
  }

  function openLiveStream(request: IncomingMessage, response: ServerResponse): void {
    if (live.size >= limits.maxLiveClients) throw new HttpError(503, `at most ${limits.maxLiveClients} pages may follow the live stream at once`);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
    live.add(response);
    const send = (event: string, data: unknown): void => {
      // A page that cannot keep up is dropped rather than buffered without bound.
      if (response.writableLength > 8 * 1024 * 1024) return void response.destroy();
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('snapshot', { frame: options.fleet.view.snapshot(clock()), fleet: options.fleet.fleetLine(), alerts: options.fleet.alerts() });
    const unsubscribe = options.fleet.subscribe((event: LiveEvent) => {
      if (event.type === 'frame') send('frame', { frame: event.frame, fleet: event.fleet });
      else send('alert', event.alert);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    const close = (): void => {
      clearInterval(keepAlive);
      unsubscribe();
      live.delete(response);
    };
    request.on('close', close);
    response.on('close', close);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      for (const response of live) response.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' } as const;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}

function noParams(params: URLSearchParams): void {
  for (const key of params.keys()) throw new BadRequestError(`unknown parameter ${JSON.stringify(key.slice(0, 40))}; this route takes none`);
}

const iso = (time: number): string => new Date(time).toISOString();

function toJson(u: UnicornView): Record<string, unknown> {
  return {
    name: u.name, latitude: u.latitude, longitude: u.longitude, distance: u.distance,
    speedMph: Math.round(u.distance * MPH_PER_METRE_PER_SECOND * 10) / 10,
    magicPoints: u.magicPoints, healthPoints: u.healthPoints, level: u.level, levels: u.levels,
    lastReadingTime: u.lastReadingTime > 0 ? formatStatusTime(u.lastReadingTime) : null,
  };
}

const KINDS: readonly string[] = ALERT_KINDS;
const SEVERITIES: readonly string[] = ALERT_SEVERITIES;

function filterAlerts(alerts: readonly UnicornAlert[], params: URLSearchParams): UnicornAlert[] {
  for (const key of params.keys()) if (key !== 'kind' && key !== 'severity') throw new BadRequestError(`unknown parameter ${JSON.stringify(key.slice(0, 40))}; this route takes kind and severity`);
  const kinds = params.getAll('kind');
  const severities = params.getAll('severity');
  for (const kind of kinds) if (!KINDS.includes(kind)) throw new BadRequestError(`kind must be one of ${KINDS.join(', ')}`);
  for (const severity of severities) if (!SEVERITIES.includes(severity)) throw new BadRequestError(`severity must be one of ${SEVERITIES.join(', ')}`);
  return alerts.filter((a) => (kinds.length === 0 || kinds.includes(a.kind)) && (severities.length === 0 || severities.includes(a.severity))).reverse();
}
