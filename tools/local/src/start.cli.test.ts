import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@wildrydes/cli-support';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients } from '@wildrydes/adapters/clients';
import { findRepoRoot, localEnvFilePath, readLocalEndpoints } from '@wildrydes/local-aws';

const REPO_ROOT = findRepoRoot();
const START_CLI = fileURLToPath(new URL('./start.cli.ts', import.meta.url));
const AWS_CLI_INSTALLED = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs one printed command in bash from the repository root (where the docs' commands run), with a clean AWS env. */
function runPrinted(command: string): { code: number; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const run = spawnSync('bash', ['-c', command], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

describe('npm start as a process, piped (stdout is not a terminal), on free ports', () => {
  let dir: string;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exitCode: Promise<number>;
  const printed = (prefix: string): string[] => stdout.split('\n').map((line) => line.trim()).filter((line) => line.startsWith(prefix));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-start-cli-'));
    child = spawn(process.execPath, ['--import', 'tsx', START_CLI, '--unicorns', '0'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'), WILDRYDES_ENDPOINTS_FILE: join(dir, 'local.json'),
        WILDRYDES_KINESIS_PORT: '0', WILDRYDES_DYNAMODB_PORT: '0', WILDRYDES_S3_PORT: '0', WILDRYDES_EVENTBRIDGE_PORT: '0', WILDRYDES_HTTP_INGESTION_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exitCode = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => stdout.includes('Try it from another terminal') && printed('curl').length > 0, 'npm start ready', 60_000);
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the line that loads local.env, which it wrote beside local.json', async () => {
    const envFile = localEnvFilePath(join(dir, 'local.json'));

    expect(stdout).toContain(`set -a; . ${envFile}; set +a`);
    await expect(readFile(envFile, 'utf8')).resolves.toMatch(/^AWS_ENDPOINT_URL_KINESIS=http:\/\/127\.0\.0\.1:\d+$/m);
  });

  it('prints curl commands that POST the example files as they are', () => {
    // Act
    const results = printed('curl').map(runPrinted);

    // Assess
    expect(results).toHaveLength(2);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(results.map((result) => JSON.parse(result.stdout) as { accepted: number; rejected: number })).toEqual([
      expect.objectContaining({ accepted: 1, rejected: 0 }),
      expect.objectContaining({ accepted: 5, rejected: 0 }),
    ]);
  });

  it.skipIf(!AWS_CLI_INSTALLED)('prints AWS CLI commands that work as printed (skipped when the aws CLI is not installed)', async () => {
    // Act
    const commands = printed('AWS_ACCESS_KEY_ID=local');
    const results = commands.map((command) => ({ command, ...runPrinted(command) }));

    // Assess
    expect(commands.map((command) => / (kinesis|dynamodb|s3|events) \S+/.exec(command)?.[0].trim())).toEqual([
      'kinesis describe-stream-summary', 'dynamodb scan', 's3 cp', 's3 ls', 'events list-rules',
    ]);
    for (const result of results) expect(result.code, `${result.command}\n${result.stderr}`).toBe(0);
    expect(results[0]?.stdout).toContain('"StreamName": "wildrydes"');
    expect(results[2]?.stdout).toContain('upload: examples/upload-small.ndjson to s3://wildrydes-data/uploads/upload-small.ndjson');
    expect(results[4]?.stdout).toContain('wildrydes-archival-unicorn-alert');
    // The file the AWS CLI put is imported, and npm start says so in one line.
    await eventually(() => stdout.includes('IMPORT uploads/upload-small.ndjson: 8 readings sent, 1 summary written, no line rejected'), 'the import line', 30_000);
  });

  it('prints alerts and import lines without escape codes, and stops on SIGINT removing its files', async () => {
    // Prepare: a critical reading through the HTTP API raises an alert.
    const http = /http\s+(http:\/\/127\.0\.0\.1:\d+)\/telemetry/.exec(stdout)?.[1];
    const response = await fetch(`${http}/telemetry`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Pegasus', StatusTime: new Date().toISOString(), Latitude: 40.75, Longitude: -73.98, Distance: 10, MagicPoints: 150, HealthPoints: 20 }),
    });
    expect(response.status).toBe(202);
    await eventually(() => printed('ALERT').some((line) => line.includes('Pegasus')), 'the alert line', 30_000);
    // …and a file put under uploads/ by any S3 client is imported, in one line naming the rejected lines.
    const clients = createAwsClients(await readLocalEndpoints(join(dir, 'local.json')));
    await clients.s3.send(new PutObjectCommand({ Bucket: 'wildrydes-data', Key: 'uploads/bad-lines.ndjson', Body: await readFile(join(REPO_ROOT, 'examples/upload-with-bad-lines.ndjson')) }))
      .finally(() => clients.destroy());
    await eventually(() => printed('IMPORT uploads/bad-lines.ndjson:').length > 0, 'the import line', 30_000);

    // Act
    child.kill('SIGINT');

    // Assess
    await expect(exitCode).resolves.toBe(0);
    expect(stdout).not.toMatch(/[\r\x1b]/);
    expect(stderr).not.toMatch(/[\r\x1b]/);
    expect(printed('IMPORT uploads/bad-lines.ndjson:')).toEqual(['IMPORT uploads/bad-lines.ndjson: 3 readings sent, 0 summaries written, 2 lines rejected (lines 2, 5)']);
    expect(printed('ALERT').find((line) => line.includes('Pegasus'))).toMatch(/^ALERT critical +Pegasus +VitalCritical HealthPoints 20 \(threshold 50\)/);
    await expect(readFile(localEnvFilePath(join(dir, 'local.json')), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
