import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@wildrydes/cli-support';
import { findRepoRoot } from '@wildrydes/local-aws';

/** What the fixture prints per reload attempt. */
type ReloadLine = { service: string; changed: string; ms?: number; error?: string };

const FIXTURE = fileURLToPath(new URL('./live-reload.fixture.ts', import.meta.url));

const INGESTION_INDEX = pathToFileURL(join(findRepoRoot(), 'services', 'ingestion', 'src', 'index.ts')).href;

/** An ingestion service whose HTTP answers carry `x-build: <build>`: the real one, wrapped (a stand-in for an edited handler). */
const ingestionModule = (build: string): string => `
import * as real from ${JSON.stringify(INGESTION_INDEX)};
export * from ${JSON.stringify(INGESTION_INDEX)};
export function createIngestionContainer(...args) {
  const inner = real.createIngestionContainer(...args);
  const post = inner.get(real.INGESTION_TOKENS.PostTelemetryHandler);
  const tagged = async (event) => {
    const result = await post(event);
    return { ...result, headers: { ...result.headers, 'x-build': ${JSON.stringify(build)} } };
  };
  return { get: (token) => (token === real.INGESTION_TOKENS.PostTelemetryHandler ? tagged : inner.get(token)) };
}
`;

const reading = (second: number): string =>
  JSON.stringify({ Name: 'Shadowfax', StatusTime: `2026-11-22 10:00:${String(second).padStart(2, '0')}.000`, Latitude: 40.75, Longitude: -73.98, Distance: 30, MagicPoints: 150, HealthPoints: 150 });

describe('npm start --watch: live reload of a service (the stack in its own process)', () => {
  let dir: string;
  let modulePath: string;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  const lines = (): Record<string, unknown>[] => stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const reloads = (): ReloadLine[] => lines().filter((line): line is ReloadLine => 'service' in line);
  let ingestionUrl: string;
  const post = async (second: number): Promise<{ status: number; build: string | null }> => {
    const response = await fetch(`${ingestionUrl}/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: reading(second) });
    await response.text();
    return { status: response.status, build: response.headers.get('x-build') };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-live-reload-'));
    // .mts: the temp folder has no package.json saying "type": "module".
    modulePath = join(dir, 'ingestion.mts');
    await writeFile(modulePath, ingestionModule('one'));
    child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, modulePath], {
      env: { ...process.env, TSX_TSCONFIG_PATH: join(findRepoRoot(), 'tsconfig.json'), POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ready = await eventually(() => lines().find((line) => typeof line['ingestionUrl'] === 'string'), `the stack's start (${stderr})`, 60_000);
    ingestionUrl = ready['ingestionUrl'] as string;
  });
  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('rebuilds the edited service and serves the new code, with the same stand-ins', async () => {
    // Prepare
    const hostPid = lines()[0]?.['hostPid'];
    await expect(post(1)).resolves.toEqual({ status: 202, build: 'one' });

    // Act
    await writeFile(modulePath, ingestionModule('two'));
    const outcome = await eventually(() => reloads().find((r) => r.ms !== undefined), 'the reload', 30_000);

    // Assess
    expect(outcome).toMatchObject({ service: 'ingestion', changed: expect.stringContaining('ingestion.mts') });
    await expect(post(2)).resolves.toEqual({ status: 202, build: 'two' });
    expect(child.exitCode).toBeNull();
    expect(lines()[0]?.['hostPid']).toBe(hostPid);
  });

  it('reports a syntax error and keeps the previous code running', async () => {
    // Prepare
    const before = reloads().length;

    // Act
    await writeFile(modulePath, `${ingestionModule('three')}\nexport const broken = ;\n`);
    const outcome = await eventually(() => reloads().slice(before).find((r) => r.error !== undefined), 'the failed reload', 30_000);

    // Assess
    expect(outcome.error).toMatch(/Transform failed|Unexpected|Expected/);
    await expect(post(3)).resolves.toEqual({ status: 202, build: 'two' });
  });
});
