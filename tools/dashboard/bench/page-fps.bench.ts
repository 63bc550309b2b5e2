/**
 * The dashboard page under load (a benchmark, never a test): N unicorns moving, a synthetic frame a second fed to
 * the page as the live stream would (JSON text parsed in the page, then applied), in Debian's headless Chromium.
 * Prints frames per second (animation frames the page drew) and the page's JS heap. Goal: ≥ 30 fps at 10,000.
 *
 *   npm run bench -- dashboard [--n 10000]
 *   tsx --tsconfig tsconfig.json tools/dashboard/bench/page-fps.bench.ts [--unicorns N] [--seconds S] [--warm-up S] [--screenshot file.png]
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDashboardServer } from '../src/dashboard-server';
import { LiveFleet } from '../src/live-fleet';
import type { LiveSource } from '../src/live-sources.port';
import { PAGE_DIR } from '../src/start-dashboard';

const CHROMIUM = '/usr/bin/chromium';
const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const unicorns = argument('--unicorns', 10_000);
const warmUpSeconds = argument('--warm-up', 5);
const measureSeconds = argument('--seconds', 20);
const screenshotAt = process.argv.indexOf('--screenshot');
const screenshot = screenshotAt >= 0 ? process.argv[screenshotAt + 1] : undefined;

// The page is fed by hand: the server's own sources stay silent and its tables empty.
const silent: LiveSource<never> = { start: async () => async () => undefined };

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const fleet = new LiveFleet({ sources: { readings: silent, alerts: silent, minutesClosed: silent }, health: { readAll: async () => [] }, frameIntervalMs: 3_600_000 });
  await fleet.start();
  const server = await startDashboardServer({
    fleet, minutes: { readMinutes: async () => [] }, archive: { query: async () => { throw new Error('the benchmark reads no archive'); } }, port: 0, pageDir: PAGE_DIR,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as { __dashboard?: unknown }).__dashboard !== undefined);
    // In the page: N unicorns flying out from Manhattan at ~30 m/s, levels mixed as a real fleet's, one frame a second.
    await page.evaluate(`(() => {
      const n = ${unicorns};
      const names = Array.from({ length: n }, (_, i) => 'Unicorn-' + String(i + 1).padStart(6, '0'));
      const heading = names.map((_, i) => (i * 2.399963) % (2 * Math.PI));
      const start = Date.now();
      let second = 0;
      const frame = () => {
        const changed = [];
        const t = ++second;
        for (let i = 0; i < n; i++) {
          const r = 30 * (t + (i % 600)) / 111000;
          const level = i % 50 === 0 ? 2 : i % 10 === 0 ? 1 : i % 97 === 0 ? 3 : 0;
          changed.push(i, 40.749167 + r * Math.sin(heading[i]), -73.985184 + 1.32 * r * Math.cos(heading[i]), 30.2, 150 - (i % 60), 140 - (i % 90), level, start + t * 1000);
        }
        const text = JSON.stringify({ frame: { time: Date.now(), firstNewId: t === 1 ? 0 : n, newNames: t === 1 ? names : [], changed, minutesClosed: [] } });
        window.__dashboard.feed(JSON.parse(text).frame);
      };
      frame();
      setInterval(frame, 1000);
    })()`);
    await page.waitForTimeout(warmUpSeconds * 1000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const samples: number[] = [];
    const heap: number[] = [];
    for (let s = 0; s < measureSeconds; s++) {
      await page.waitForTimeout(1000);
      samples.push(await page.evaluate('window.__dashboard.fps()') as number);
      const { metrics } = await cdp.send('Performance.getMetrics');
      heap.push(metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN);
    }
    if (screenshot !== undefined) await page.screenshot({ path: screenshot });
    const drawMs = await page.evaluate('window.__dashboard.drawMs()') as number;
    const markers = await page.evaluate('window.__dashboard.markers().length') as number;
    const onScreen = await page.evaluate('window.__dashboard.visibleMarkers()') as number;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sorted = [...samples].sort((a, b) => a - b);
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    const version = browser.version();
    console.log(`dashboard page, ${unicorns.toLocaleString('en-US')} unicorns moving (${markers} tracked, ${onScreen} on screen), 1280×800, headless Chromium ${version}`);
    console.log(`frames per second: mean ${mean.toFixed(1)}, lowest second ${sorted[0]!.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} over ${measureSeconds} s (goal ≥ 30)`);
    console.log(`the page's drawing code: ${drawMs.toFixed(1)} ms a frame`);
    console.log(`JS heap used: ${mb(Math.min(...heap))}–${mb(Math.max(...heap))} MB`);
    console.log(mean >= 30 ? 'verdict: goal met' : 'verdict: below the goal');
  } finally {
    await browser.close();
    await server.close();
    await fleet.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`dashboard bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
