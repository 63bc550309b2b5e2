import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { killRunningClis, localEnvVariables, runCli, startTestStack, type TestStack } from '@wildrydes/cli-support';

const reading = (Name: string, StatusTime: string, Distance: number, HealthPoints = 150) => ({
  Name, StatusTime, Latitude: 40.7492, Longitude: -73.9852, Distance, MagicPoints: 150, HealthPoints,
});

describe('query CLI (a real process)', () => {
  let archiveDir: string;
  beforeAll(async () => {
    // Prepare: an archive as the archiver writes it (gzip NDJSON under raw/dt=/hour=/), as `aws s3 sync` copies it.
    archiveDir = await mkdtemp(join(tmpdir(), 'wildrydes-query-cli-'));
    const put = async (key: string, rows: readonly object[]): Promise<void> => {
      await mkdir(join(archiveDir, key, '..'), { recursive: true });
      await writeFile(join(archiveDir, key), gzipSync(rows.map((row) => JSON.stringify(row)).join('\n') + '\n'));
    };
    await put('raw/dt=2026-11-22/hour=10/shard-0-1.json.gz', [
      reading('Shadowfax', '2026-11-22 10:00:01.000', 30.5),
      reading('Bucephalus', '2026-11-22 10:00:01.500', 29, 95),
      reading('Shadowfax', '2026-11-22 10:00:02.000', 29.25),
    ]);
    await put('raw/dt=2026-11-23/hour=00/shard-0-2.json.gz', [reading('Rocinante', '2026-11-23 00:00:01.000', 1000.75)]);
  });
  afterAll(async () => {
    await rm(archiveDir, { recursive: true, force: true });
  });
  afterEach(killRunningClis);

  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: query [options] [sql]');
    expect(stdout).toContain('total-distance');
  });

  it.each([
    [[], 'give either SQL or --named <query>'],
    [['SELECT 1', '--named', 'trip'], 'give either SQL or --named <query>'],
    [['--named', 'nope'], "argument 'nope' is invalid"],
    [['--named', 'trip'], '--named trip needs --name <unicorn>'],
    [['--named', 'after', '--after', 'yesterday'], 'Invalid after "yesterday"'],
    [['--named', 'total-distance', '--from-date', '2026-13-01'], 'Invalid dt.from "2026-13-01"'],
    [['SELECT 1', '--format', 'xml'], "argument 'xml' is invalid"],
  ])('refuses %j with a clear message and exit 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(['--archive-dir', archiveDir, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^query: /);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('prints one line and exits 1 when Athena cannot be reached', async () => {
    const { code, stderr } = await runCli(['--endpoint', 'http://127.0.0.1:1', '--region', 'us-east-1', 'SELECT 1']);
    expect(code).toBe(1);
    expect(stderr).toBe('query: cannot reach Athena at http://127.0.0.1:1 (connect ECONNREFUSED)\n');
  });

  it('prints one line and exits 1 for bad SQL', async () => {
    const { code, stderr, stdout } = await runCli(['--archive-dir', archiveDir, 'SELEC name FROM wildrydes']);
    expect(code).toBe(1);
    expect(stderr).toBe('query: DuckDB query failed: Parser Error: syntax error at or near "SELEC"\n');
    expect(stdout).toBe('');
  });

  it('--named total-distance prints an aligned table, and rows, bytes and time on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['--archive-dir', archiveDir, '--named', 'total-distance']);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(
      ['name        totaldistance', '----------  -------------', 'Bucephalus             29', 'Rocinante         1000.75', 'Shadowfax           59.75', ''].join('\n'),
    );
    expect(stderr).toMatch(/^3 rows; data scanned: \d+ bytes; run time: \d+\.\d\d s \(duckdb\)\n$/);
  });

  it('--format csv and --format json, with a dt range', async () => {
    const csv = await runCli(['--archive-dir', archiveDir, '--named', 'total-distance', '--to-date', '2026-11-22', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('name,totaldistance\nBucephalus,29\nShadowfax,59.75\n');

    const json = await runCli(['--archive-dir', archiveDir, '--named', 'low-vitals', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'Bucephalus', statustime: '2026-11-22T10:00:01.500Z', latitude: 40.7492, longitude: -73.9852, distance: 29, magicpoints: 150, healthpoints: 95, dt: '2026-11-22', hour: '10' },
    ]);
  });

  it('runs ad-hoc SQL and the trip query with -name (Go-style flags)', async () => {
    const adhoc = await runCli(['--archive-dir', archiveDir, '--format', 'csv', 'SELECT COUNT(*) AS readings FROM wildrydes']);
    expect(adhoc.stdout).toBe('readings\n4\n');
    const trip = await runCli(['-archive-dir', archiveDir, '-named', 'trip', '-name', 'Shadowfax', '-format', 'csv']);
    expect(trip.stdout).toBe('latitude,longitude,statustime\n40.7492,-73.9852,2026-11-22T10:00:01.000Z\n40.7492,-73.9852,2026-11-22T10:00:02.000Z\n');
  });
});

describe('query CLI with only the variables of local.env (no --local)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    const rows = [reading('Shadowfax', '2026-11-22 10:00:01.000', 30.5), reading('Shadowfax', '2026-11-22 10:00:02.000', 29.5)];
    await stack.clients.s3.send(new PutObjectCommand({
      Bucket: 'wildrydes-data', Key: 'raw/dt=2026-11-22/hour=10/shard-0-1.json.gz', Body: gzipSync(rows.map((row) => JSON.stringify(row)).join('\n') + '\n'),
    }));
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(killRunningClis);

  it('queries the archive of the stack that AWS_ENDPOINT_URL_S3 points at', async () => {
    const env = await localEnvVariables(stack.endpointsFile);

    const { code, stdout, stderr } = await runCli(['--named', 'total-distance', '--format', 'csv'], 30_000, { ...env, WILDRYDES_ENDPOINTS_FILE: stack.endpointsFile });

    expect(code, stderr).toBe(0);
    expect(stdout).toBe('name,totaldistance\nShadowfax,60\n');
  });

  it('refuses, in one line, an AWS_ENDPOINT_URL_S3 that is not the local stack\'s', async () => {
    const env = await localEnvVariables(stack.endpointsFile);

    const { code, stderr } = await runCli(['--named', 'total-distance'], 30_000, { ...env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1', WILDRYDES_ENDPOINTS_FILE: stack.endpointsFile });

    expect(code).toBe(1);
    expect(stderr).toMatch(/^query: AWS_ENDPOINT_URL_S3 is http:\/\/127\.0\.0\.1:1, but the local stack serves S3 at http:\/\/127\.0\.0\.1:\d+/);
  });
});
