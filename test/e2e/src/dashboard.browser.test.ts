import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { FleetSimulation, RESOURCE_NAMES, unicornName } from '@wildrydes/domain';
import { startLocalStack, type LocalStack } from '@wildrydes/local';
import { until } from '@wildrydes/test-kit';

/** The page draws after the stack's first readings arrive: waits here get 90 s. */
const untilLong = <T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> => until(what, probe, done, timeoutMs);

/** Debian's Chromium: never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
const UNICORNS = 6;
// Git-ignored (test-results/), kept after the run so the pictures can be looked at.
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'dashboard-screenshots');

interface Marker { name: string; level: string; x: number; y: number; alpha: number }
interface DashboardHook {
  markers(): Marker[];
  select(name: string | null): void;
  selected(): string | null;
  popup(): string | null;
  minutes(): number;
}
const hook = <T>(page: Page, call: (dashboard: DashboardHook) => T): Promise<T> =>
  page.evaluate(`(${call.toString()})(window.__dashboard)`) as Promise<T>;

describe.skipIf(!hasChromium)(`the dashboard in Chromium (${CHROMIUM}) over the local stack`, () => {
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  let producer: NodeJS.Timeout | undefined;
  const names = Array.from({ length: UNICORNS }, (_, i) => unicornName(i));

  beforeAll(async () => {
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startLocalStack({ ports: ANY_PORT, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2, log: () => undefined, dashboard: { port: 0 } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    if (producer) clearInterval(producer);
    await browser?.close();
    await stack?.stop();
  });

  it('shows the fleet live: a marker per unicorn, a popup with vitals, the decline alert turning the marker, the minute chart filling', async () => {
    // Prepare: a live fleet of 6 (Bucephalus loses 2 health points a second), 10 s of it sent at once, then a reading a second.
    const sim = new FleetSimulation({ seed: 11, unicorns: UNICORNS, startTime: Date.now() - 10_000, scenarios: { decliningUnicorn: 'Bucephalus' } });
    const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
    const encoder = new TextEncoder();
    const send = () => stream.put(sim.tick().map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) })));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.dashboardUrl!);
    for (let i = 0; i < 10; i++) await send();
    producer = setInterval(() => void send(), 1000);

    // A marker for every unicorn (the map is a canvas: the page's test hook lists what it drew).
    const markers = await untilLong('a marker per unicorn', () => hook(page, (d) => d.markers()), (m) => names.every((n) => m.some((k) => k.name === n && k.alpha > 0)));
    expect(markers.find((m) => m.name === 'Bucephalus')!.level).toBe('ok');
    expect(await page.locator('#fleet-summary').getAttribute('data-unicorns')).toBe(String(UNICORNS));
    await page.screenshot({ path: join(SCREENSHOTS, '1-fleet.png') });

    // Clicking Bucephalus's marker opens its popup: name, speed, health, magic, last reading.
    // Markers glide between readings: read where it is drawn and click there, again if it moved away meanwhile.
    const box = (await page.locator('#map').boundingBox())!;
    await untilLong('Bucephalus selected by a click on its marker', async () => {
      const at = (await hook(page, (d) => d.markers())).find((m) => m.name === 'Bucephalus')!;
      await page.mouse.click(box.x + at.x, box.y + at.y);
      return hook(page, (d) => d.selected());
    }, (s) => s === 'Bucephalus', 20_000);
    const popup = (await hook(page, (d) => d.popup()))!;
    expect(popup).toMatch(/^Bucephalus[\d.]+ mph · health \d+ · magic \d+(ok|low|critical) · last reading \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // The decline: a VitalLow then a VitalCritical alert in the panel, and the marker turning orange, then red.
    await untilLong('the VitalLow alert in the panel', () => page.locator('#alerts li[data-name="Bucephalus"][data-kind="VitalLow"]').count(), (n) => n === 1);
    await untilLong('Bucephalus drawn as low or worse', () => hook(page, (d) => d.markers()), (m) => ['low', 'critical'].includes(m.find((k) => k.name === 'Bucephalus')!.level));
    await page.screenshot({ path: join(SCREENSHOTS, '2-low.png') });
    await untilLong('the VitalCritical alert in the panel', () => page.locator('#alerts li[data-name="Bucephalus"][data-kind="VitalCritical"]').count(), (n) => n === 1);
    await untilLong('Bucephalus drawn as critical', () => hook(page, (d) => d.markers()), (m) => m.find((k) => k.name === 'Bucephalus')!.level === 'critical');
    expect(await page.locator('#fleet-summary').getAttribute('data-critical')).toBe('1');

    // The alerts panel filters by severity, and clicking an alert selects its unicorn.
    await page.selectOption('#filter-severity', 'critical');
    expect(await page.locator('#alerts li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')))).toEqual(['VitalCritical']);
    await hook(page, (d) => d.select(null));
    await page.locator('#alerts li').first().click();
    expect(await hook(page, (d) => d.selected())).toBe('Bucephalus');

    // Its minute chart fills once a minute of its readings has closed (the table also holds the open minute, merged as it goes).
    await untilLong('a closed minute emitted', () => page.locator('#fleet-summary #stat-minutes').textContent(), (n) => Number(n) >= 1, 120_000);
    await untilLong('a closed minute in the chart', () => page.locator('#charts').getAttribute('data-closed-minutes'), (n) => Number(n) >= 1, 30_000);
    await page.screenshot({ path: join(SCREENSHOTS, '3-critical-and-minutes.png') });
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
