import { request } from 'node:http';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { createAlert, parseStatusTime, partialsFromReadings, type MinuteSummary, type Reading, type UnicornAlert } from '@wildrydes/domain';
import { aHealthState, fleetReadings, InMemoryHealthStore, InMemorySummaryStore, writeLocalArchive, type LocalArchive } from '@wildrydes/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardServer, type DashboardServer } from './dashboard-server';
import { InMemoryLiveSource } from './in-memory-live-source.fake';
import type { PositionFrame } from './fleet-view';
import { LiveFleet, type FleetLine } from './live-fleet';
import { PAGE_DIR } from './start-dashboard';

// The archive's fleet: 3 unicorns (Shadowfax, Rocinante, Bucephalus), a reading every 10 s for 20 minutes.
const START = Date.UTC(2026, 10, 22, 10, 0, 0);
const NOW = START + 20 * 60_000;
const MINUTE = 60_000;

/** The API's answers, loosely: each test reads the fields its route returns. */
interface ApiBody {
  readonly error: string;
  readonly unicorns: Record<string, unknown>[];
  readonly minutes: MinuteSummary[];
  readonly alerts: UnicornAlert[];
  readonly columns: string[];
  readonly rows: unknown[][];
  readonly [key: string]: unknown;
}
interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: () => ApiBody }
type LiveData = { frame: PositionFrame; fleet: FleetLine; alerts: UnicornAlert[] } & Partial<UnicornAlert>;
interface LiveMessage { event: string; data: LiveData }

/** node:http, not fetch: a test must be able to send any Host and Origin. */
function get(server: DashboardServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens the live stream and collects its events until `until` says enough. */
function follow(server: DashboardServer, until: (events: LiveMessage[]) => boolean): Promise<LiveMessage[]> {
  return new Promise((resolve, reject) => {
    const events: LiveMessage[] = [];
    const req = request({ host: '127.0.0.1', port: server.port, path: '/api/live', headers: { host: `localhost:${server.port}` } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
        if (until(events)) {
          req.destroy();
          resolve(events);
        }
      });
    });
    req.on('error', (error) => (events.length > 0 ? undefined : reject(error)));
    req.end();
  });
}

describe('the dashboard read API', () => {
  const health = new InMemoryHealthStore();
  const summaries = new InMemorySummaryStore();
  const readings = new InMemoryLiveSource<Reading>();
  const alerts = new InMemoryLiveSource<UnicornAlert>();
  const minutesClosed = new InMemoryLiveSource<string>();
  let fleet: LiveFleet;
  let server: DashboardServer;
  let archive: LocalArchive;
  let engine: DuckDbQueryEngine;
  let quarantined = 0;

  beforeAll(async () => {
    // Prepare: an archive, the health table (Bucephalus critical), two minutes of Bucephalus in the summaries table.
    const archived = fleetReadings({ unicorns: 3, readingsPerUnicorn: 120, startMs: START, intervalMs: 10_000 });
    archive = await writeLocalArchive('plain', archived);
    engine = new DuckDbQueryEngine({ bucketDir: archive.bucketDir, layout: 'plain' });
    await health.applyTransitions([
      { state: aHealthState('Shadowfax', { lastReadingTime: NOW - 1000 }), expectedVersion: undefined },
      { state: aHealthState('Bucephalus', { lastReadingTime: NOW - 1000, healthPoints: 40, levels: { MagicPoints: 'ok', HealthPoints: 'critical' } }), expectedVersion: undefined },
    ]);
    const bucephalus = (time: number, healthPoints: number): Reading => ({ name: 'Bucephalus', time, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints });
    await summaries.merge([...partialsFromReadings([
      bucephalus(NOW - 3 * MINUTE + 1000, 120), bucephalus(NOW - 3 * MINUTE + 2000, 110), bucephalus(NOW - 2 * MINUTE + 1000, 60), bucephalus(NOW - 30 * MINUTE, 150),
    ]).values()]);
    fleet = new LiveFleet({ sources: { readings, alerts, minutesClosed }, health, clock: () => NOW, frameIntervalMs: 60_000, healthPollMs: 60_000, quarantinedRecords: () => quarantined });
    await fleet.start();
    readings.push({ name: 'Rocinante', time: NOW - 500, latitude: 40.76, longitude: -73.97, distance: 12.5, magicPoints: 130, healthPoints: 120 });
    server = await startDashboardServer({ fleet, minutes: summaries, archive: engine, port: 0, pageDir: PAGE_DIR, clock: () => NOW });
  });

  afterAll(async () => {
    await server?.close();
    await fleet?.stop();
    await engine?.close();
    await archive?.remove();
  });

  describe('GET /api/unicorns', () => {
    it('lists every known unicorn with its latest position, health level and last reading time', async () => {
      const answer = await get(server, '/api/unicorns');
      expect(answer.status).toBe(200);
      const unicorns = answer.json().unicorns as Record<string, unknown>[];
      expect(unicorns.map((u) => [u['name'], u['level']])).toEqual([['Bucephalus', 'critical'], ['Shadowfax', 'ok'], ['Rocinante', 'ok']]);
      expect(unicorns[2]).toMatchObject({ latitude: 40.76, longitude: -73.97, healthPoints: 120, speedMph: 28, lastReadingTime: '2026-11-22 10:19:59.500' });
    });

    it('answers one unicorn by name (percent-encoded), 404 for an unknown one, 400 for a broken encoding', async () => {
      expect((await get(server, '/api/unicorns/Rocinante')).json()).toMatchObject({ name: 'Rocinante', magicPoints: 130 });
      const unknown = await get(server, '/api/unicorns/Nobody%20Here');
      expect([unknown.status, unknown.json().error]).toEqual([404, 'unknown unicorn "Nobody Here"']);
      expect((await get(server, '/api/unicorns/%E0%A4%A')).status).toBe(400);
    });

    it('refuses parameters it does not take', async () => {
      const answer = await get(server, '/api/unicorns?limit=5');
      expect([answer.status, answer.json().error]).toEqual([400, 'unknown parameter "limit"; this route takes none']);
    });
  });

  describe('GET /api/unicorns/{name}/minutes', () => {
    it('returns the last hour of minutes by default, oldest first', async () => {
      const answer = await get(server, '/api/unicorns/Bucephalus/minutes');
      expect(answer.status).toBe(200);
      expect(answer.json().minutes.map((m) => [m.WindowStart, m.MinHealthPoints, m.MaxHealthPoints, m.Readings])).toEqual([
        ['2026-11-22 09:50:00.000', 150, 150, 1],
        ['2026-11-22 10:17:00.000', 110, 120, 2],
        ['2026-11-22 10:18:00.000', 60, 60, 1],
      ]);
    });

    it('takes from and to as ISO 8601 or epoch ms; a window overlapping `from` counts', async () => {
      const iso = await get(server, `/api/unicorns/Bucephalus/minutes?from=2026-11-22T10:17:30Z&to=${NOW}`);
      expect(iso.json().minutes.map((m) => m.WindowStart)).toEqual(['2026-11-22 10:17:00.000', '2026-11-22 10:18:00.000']);
      expect(iso.json()).toMatchObject({ from: '2026-11-22T10:17:30.000Z', to: '2026-11-22T10:20:00.000Z' });
    });

    it.each([
      ['from=yesterday', 'from must be epoch milliseconds or an ISO 8601 time'],
      ['to=2026-13-45T99:00:00Z', 'to must be epoch milliseconds or an ISO 8601 time'],
      [`from=${NOW}&to=${NOW}`, 'to must be after from'],
      [`from=${NOW}&to=${NOW - 1}`, 'to must be after from'],
      [`from=${NOW - 25 * 3_600_000}&to=${NOW}`, 'the range is at most 24 h; asked for 25 h'],
      ['from=1&from=2', 'from is given more than once'],
      ['since=1', 'unknown parameter "since"; this route takes from and to'],
    ])('answers 400 with a reason for %s', async (query, reason) => {
      const answer = await get(server, `/api/unicorns/Bucephalus/minutes?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json().error).toContain(reason);
    });

    it('answers 404 for an unknown unicorn, before reading anything', async () => {
      expect((await get(server, '/api/unicorns/Nobody/minutes')).status).toBe(404);
    });
  });

  describe('GET /api/unicorns/{name}/readings (the archive, through the query engine)', () => {
    it('returns the raw readings of the range, oldest first', async () => {
      const answer = await get(server, `/api/unicorns/Shadowfax/readings?from=${START}&to=${START + 60_000}`);
      expect(answer.status).toBe(200);
      const body = answer.json();
      expect(body).toMatchObject({ engine: 'duckdb', truncated: false });
      expect(body.columns.map((c: string) => c.toLowerCase())).toEqual(['statustime', 'latitude', 'longitude', 'distance', 'magicpoints', 'healthpoints']);
      expect(body.rows).toHaveLength(6);
      const times = body.rows.map((row) => parseStatusTime(String(row[0]).replace('T', ' ').replace('Z', '')));
      expect(times.every((t: number) => t >= START && t < START + 60_000)).toBe(true);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('answers 400 for a range longer than an hour, 404 for an unknown unicorn', async () => {
      const tooLong = await get(server, `/api/unicorns/Shadowfax/readings?from=${START}&to=${START + 2 * 3_600_000}`);
      expect([tooLong.status, tooLong.json().error]).toEqual([400, 'the range is at most 1 h; asked for 2 h']);
      expect((await get(server, `/api/unicorns/Nobody/readings?from=${START}&to=${START + 1000}`)).status).toBe(404);
    });
  });

  describe('live updates', () => {
    it('moves a unicorn with each reading and changes its level with each alert, once per alert id', async () => {
      readings.push({ name: 'Shadowfax', time: NOW - 200, latitude: 40.8, longitude: -73.9, distance: 20, magicPoints: 99, healthPoints: 95 });
      const low = createAlert({ name: 'Shadowfax', kind: 'VitalLow', vital: 'HealthPoints', value: 95, threshold: 100, readingTime: NOW - 200, latitude: 40.8, longitude: -73.9 });
      alerts.push(low, low);
      expect((await get(server, '/api/unicorns/Shadowfax')).json()).toMatchObject({ latitude: 40.8, level: 'low', healthPoints: 95 });
      const listed = (await get(server, '/api/alerts')).json().alerts;
      expect(listed.filter((a: UnicornAlert) => a.alertId === low.alertId)).toHaveLength(1);
    });

    it('filters alerts by kind and severity, and refuses unknown ones', async () => {
      alerts.push(createAlert({ name: 'Bucephalus', kind: 'VitalCritical', vital: 'HealthPoints', value: 40, threshold: 50, readingTime: NOW - 900, latitude: 40.75, longitude: -73.98 }));
      const critical = (await get(server, '/api/alerts?severity=critical')).json().alerts;
      expect(critical.map((a: UnicornAlert) => [a.name, a.kind])).toEqual([['Bucephalus', 'VitalCritical']]);
      expect((await get(server, '/api/alerts?kind=VitalLow&kind=VitalCritical')).json().alerts).toHaveLength(2);
      const bad = await get(server, '/api/alerts?kind=Sneezing');
      expect([bad.status, bad.json().error]).toEqual([400, 'kind must be one of VitalLow, VitalCritical, VitalRecovered, UnicornSilent, UnicornBack']);
    });

    it('streams a snapshot, then frames of what changed and alerts as they come (Server-Sent Events)', async () => {
      fleet.publishFrame();
      const received = follow(server, (events) => events.some((e) => e.event === 'alert'));
      // Act once the snapshot is there: a new unicorn, a closed minute, a frame, an alert.
      await new Promise((resolve) => setTimeout(resolve, 100));
      readings.push({ name: 'Pegasus', time: NOW, latitude: 40.7, longitude: -74, distance: 30, magicPoints: 150, healthPoints: 150 });
      minutesClosed.push('Pegasus');
      quarantined = 3;
      fleet.publishFrame();
      alerts.push(createAlert({ name: 'Pegasus', kind: 'UnicornSilent', vital: null, value: null, threshold: null, readingTime: NOW, latitude: 40.7, longitude: -74 }));
      const events = await received;

      expect(events[0]!.event).toBe('snapshot');
      expect(events[0]!.data.frame.newNames).toEqual(['Bucephalus', 'Shadowfax', 'Rocinante']);
      const frame = events.find((e) => e.event === 'frame')!.data;
      expect(frame.frame).toMatchObject({ firstNewId: 3, newNames: ['Pegasus'], minutesClosed: ['Pegasus'] });
      expect(frame.fleet).toMatchObject({ unicorns: 4, minutesEmitted: 1, quarantinedRecords: 3 });
      expect(events.at(-1)).toMatchObject({ event: 'alert', data: { name: 'Pegasus', kind: 'UnicornSilent' } });
    });

    it('counts the fleet line as npm start prints it', async () => {
      const line = (await get(server, '/api/fleet')).json();
      expect(line).toMatchObject({ unicorns: 4, levels: { ok: 1, low: 1, critical: 1, silent: 1 }, minutesEmitted: 1, quarantinedRecords: 3, alerts: 3 });
    });
  });

  describe('what the server refuses', () => {
    it.each([
      ['another host name (DNS rebinding)', { host: 'evil.example:80' }],
      ['its own address on another port', { host: '127.0.0.1:1' }],
      ['a foreign Origin', { origin: 'http://evil.example' }],
      ['an Origin of another local port', { origin: 'http://localhost:1' }],
    ])('answers 403 to %s', async (_, headers) => {
      const answer = await get(server, '/api/unicorns', { headers });
      expect(answer.status).toBe(403);
    });

    it('serves its own origin, by 127.0.0.1 or localhost', async () => {
      expect((await get(server, '/api/unicorns', { headers: { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` } })).status).toBe(200);
    });

    it('answers 405 with Allow to anything but GET and HEAD', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await get(server, '/api/unicorns', { method });
        expect([answer.status, answer.headers['allow']]).toEqual([405, 'GET, HEAD']);
      }
    });

    it('answers 413 to a request with a body, 414 to an over-long target, 404 to an unknown route', async () => {
      expect((await get(server, '/api/unicorns', { headers: { 'content-length': '5' }, body: 'hello' })).status).toBe(413);
      expect((await get(server, `/api/unicorns/${'x'.repeat(3000)}`)).status).toBe(414);
      expect((await get(server, '/etc/passwd')).status).toBe(404);
      expect((await get(server, '/../package.json')).status).toBe(404);
    });

    it('serves the page with a content security policy that allows only itself', async () => {
      const page = await get(server, '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<canvas id="map">');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect((await get(server, '/dashboard.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    });
  });
});

describe('the live stream limit', () => {
  it('answers 503 once the most pages it serves are connected', async () => {
    const fleet = new LiveFleet({ sources: { readings: new InMemoryLiveSource(), alerts: new InMemoryLiveSource(), minutesClosed: new InMemoryLiveSource() }, health: new InMemoryHealthStore(), frameIntervalMs: 60_000, healthPollMs: 60_000 });
    await fleet.start();
    const server = await startDashboardServer({ fleet, minutes: new InMemorySummaryStore(), archive: { query: async () => { throw new Error('not used'); } }, port: 0, pageDir: PAGE_DIR, limits: { maxLiveClients: 1 } });
    try {
      const first = follow(server, (events) => events.length > 0);
      await first;
      // The first page's connection was closed by follow(); open one and keep it.
      const held = request({ host: '127.0.0.1', port: server.port, path: '/api/live', headers: { host: `127.0.0.1:${server.port}` } });
      held.end();
      await new Promise<void>((resolve) => held.on('response', () => resolve()));
      expect((await get(server, '/api/live')).status).toBe(503);
      held.destroy();
    } finally {
      await server.close();
      await fleet.stop();
    }
  });
});
