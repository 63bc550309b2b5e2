import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultEndpointsFilePath,
  findRepoRoot,
  readLocalEndpoints,
  removeLocalEndpointsFile,
  writeLocalEndpointsFile,
  type LocalEndpointsFile,
} from './local-endpoints-file';
import { LocalEndpointsFileInvalidError, LocalStackNotRunningError } from './local-runtime.errors';

const aFile = (overrides: Partial<LocalEndpointsFile> = {}): LocalEndpointsFile => ({
  region: 'us-east-1',
  kinesis: 'http://127.0.0.1:4567',
  dynamodb: 'http://127.0.0.1:4569',
  s3: 'http://127.0.0.1:4570',
  eventbridge: 'http://127.0.0.1:4571',
  s3DataDir: '/tmp/s3',
  pid: process.pid,
  startedAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

describe('local endpoints file', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-endpoints-test-'));
    path = join(dir, '.wildrydes', 'local.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the workspace root and puts the default file under .wildrydes', () => {
    const root = findRepoRoot();

    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).toHaveProperty('workspaces');
    expect(defaultEndpointsFilePath()).toBe(join(root, '.wildrydes', 'local.json'));
  });

  it('round-trips what was written', async () => {
    await writeLocalEndpointsFile(path, aFile());

    await expect(readLocalEndpoints(path)).resolves.toEqual(aFile());
  });

  it('accepts a file without eventbridge', async () => {
    const { eventbridge: _omitted, ...withoutEventBridge } = aFile();
    await writeLocalEndpointsFile(path, withoutEventBridge);

    await expect(readLocalEndpoints(path)).resolves.not.toHaveProperty('eventbridge');
  });

  it('keeps the dashboard address when the process serves one (npm start)', async () => {
    await writeLocalEndpointsFile(path, aFile({ dashboard: 'http://127.0.0.1:4573/' }));

    await expect(readLocalEndpoints(path)).resolves.toMatchObject({ dashboard: 'http://127.0.0.1:4573/' });
  });

  it('says the stack is not running when the file is missing', async () => {
    const read = readLocalEndpoints(path);

    await expect(read).rejects.toBeInstanceOf(LocalStackNotRunningError);
    await expect(read).rejects.toThrow('the local stack is not running: start it with npm run local');
  });

  it('says the stack is not running when the owning process is gone', async () => {
    await writeLocalEndpointsFile(path, aFile({ pid: 2 ** 22 + 12_345 }));

    await expect(readLocalEndpoints(path)).rejects.toMatchObject({ code: 'LOCAL_STACK_NOT_RUNNING' });
  });

  it.each([
    ['bad JSON', '{"region":'],
    ['an array', '[]'],
    ['a missing URL', JSON.stringify({ ...aFile(), kinesis: undefined })],
    ['a URL that is not http', JSON.stringify({ ...aFile(), s3: 'localhost:4570' })],
    ['a bad pid', JSON.stringify({ ...aFile(), pid: 'me' })],
    ['a dashboard that is not a URL', JSON.stringify({ ...aFile(), dashboard: '127.0.0.1:4573' })],
  ])('rejects %s with a clear error', async (_case, content) => {
    await writeLocalEndpointsFile(path, aFile());
    await writeFile(path, content, 'utf8');

    await expect(readLocalEndpoints(path)).rejects.toBeInstanceOf(LocalEndpointsFileInvalidError);
  });

  it('is removed by its owner only', async () => {
    await writeLocalEndpointsFile(path, aFile({ pid: process.pid }));

    await removeLocalEndpointsFile(path, process.pid + 1);
    await expect(readFile(path, 'utf8')).resolves.toContain('"pid"');
    await removeLocalEndpointsFile(path, process.pid);
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
