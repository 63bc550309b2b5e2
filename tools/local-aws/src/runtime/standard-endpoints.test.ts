import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters/clients';
import { localEnvFilePath, loadLocalEnvCommand } from './local-endpoints-file';
import { provisionResources } from './provision-resources';
import { startLocalRuntime, type LocalRuntime } from './start-local-runtime';

const FIXTURE = fileURLToPath(new URL('./plain-sdk-clients.fixture.ts', import.meta.url));

/** A shell with PATH and HOME only (no AWS_* of the developer's or the test's), that loads local.env and runs `command`. */
function runInCleanShell(envFile: string, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `${loadLocalEnvCommand(envFile)}; ${command}`], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code: code ?? -1, stdout, stderr });
  }));
}

describe('standard endpoints: local.env', () => {
  let dir: string;
  let runtime: LocalRuntime;
  let envFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-local-env-'));
    runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 }, writeEndpointsFile: true, endpointsFilePath: join(dir, 'local.json') });
    envFile = localEnvFilePath(join(dir, 'local.json'));
    const clients = createAwsClients(runtime.endpoints);
    await provisionResources(clients).finally(() => clients.destroy());
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is written beside local.json with every endpoint, the region and dummy credentials', async () => {
    const text = await readFile(envFile, 'utf8');

    const e = runtime.endpoints;
    expect(text).toContain(`AWS_ENDPOINT_URL_KINESIS=${e.kinesis}\n`);
    expect(text).toContain(`AWS_ENDPOINT_URL_DYNAMODB=${e.dynamodb}\n`);
    expect(text).toContain(`AWS_ENDPOINT_URL_S3=${e.s3}\n`);
    expect(text).toContain(`AWS_ENDPOINT_URL_EVENTBRIDGE=${e.eventbridge}\n`);
    expect(text).toMatch(/^AWS_REGION=us-east-1$/m);
    expect(text).toMatch(/^AWS_ACCESS_KEY_ID=local$/m);
    expect(text).toMatch(/^AWS_SECRET_ACCESS_KEY=local$/m);
  });

  it('leads plain SDK v3 clients, built with no option, to each stand-in (Kinesis over HTTP/2, S3 streamed aws-chunked)', async () => {
    // Act
    const run = await runInCleanShell(envFile, `exec node --import tsx ${JSON.stringify(FIXTURE)}`);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      record: '{"plain":true}\n',
      tables: ['UnicornHealth', 'UnicornSensorData'],
      object: 'streamed by a plain client\n',
      buses: expect.arrayContaining(['default', 'wildrydes']),
    });
  });

  it('is removed with local.json when the runtime stops', async () => {
    // Prepare: a second runtime of our own, so the suite's one keeps running.
    const path = join(dir, 'second', 'local.json');
    const second = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 }, writeEndpointsFile: true, endpointsFilePath: path });
    await expect(readFile(localEnvFilePath(path), 'utf8')).resolves.toContain('AWS_ENDPOINT_URL_KINESIS=');

    // Act
    await second.stop();

    // Assess
    await expect(readFile(localEnvFilePath(path), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
