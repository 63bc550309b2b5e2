import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killRunningClis, runCli, startTestStack, type TestStack } from '@wildrydes/cli-support';
import { findRepoRoot, localEnvFilePath } from '@wildrydes/local-aws';
import { startLocalStack, type LocalStack } from '@wildrydes/local';

const EXAMPLES = join(findRepoRoot(), 'examples');
/** Variables as `set -a; . local.env; set +a` leaves them. */
const envFileVariables = async (path: string): Promise<Record<string, string>> =>
  Object.fromEntries((await readFile(path, 'utf8')).split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('upload CLI (the real bin) against the local stack with the ingestion service', () => {
  let dir: string;
  let stack: LocalStack;
  let endpointsFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wildrydes-upload-cli-'));
    endpointsFile = join(dir, 'local.json');
    stack = await startLocalStack({
      ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 }, writeEndpointsFile: true, endpointsFilePath: endpointsFile,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(killRunningClis);

  it('uploads an NDJSON file, waits for its import report and prints it; piped, stderr has plain lines only', async () => {
    // Act
    const run = await runCli(['--endpoints-file', endpointsFile, join(EXAMPLES, 'upload-small.ndjson')], 60_000);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('uploads/upload-small.ndjson: 8 readings sent, 1 summary written, no line rejected\n');
    expect(run.stderr).toContain('upload: 1.6 KiB put to s3://wildrydes-data/uploads/upload-small.ndjson\n');
    expect(run.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('a gzipped file under another key, the report as JSON', async () => {
    const run = await runCli(['--endpoints-file', endpointsFile, '--key', 'fleet/2026-11-22.ndjson.gz', '--json', join(EXAMPLES, 'upload-small.ndjson.gz')], 60_000);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ key: 'uploads/fleet/2026-11-22.ndjson.gz', status: 'imported', readingsSent: 8, summariesWritten: 1, linesRejected: 0 });
  });

  it('lists rejected lines with their numbers and exits 3 when some lines were rejected', async () => {
    const run = await runCli(['--endpoints-file', endpointsFile, join(EXAMPLES, 'upload-with-bad-lines.ndjson')], 60_000);

    expect(run.code, run.stderr).toBe(3);
    const [summary, ...rejections] = run.stdout.trimEnd().split('\n');
    expect(summary).toBe('uploads/upload-with-bad-lines.ndjson: 3 readings sent, 0 summaries written, 2 lines rejected (lines 2, 5)');
    expect(rejections).toEqual([expect.stringMatching(/^ {2}line 2: \w+ — /), expect.stringMatching(/^ {2}line 5: INVALID_JSON — .*\| this line is not JSON$/)]);
  });

  it('exits 1 when no line of the file is telemetry', async () => {
    const file = join(dir, 'not-telemetry.txt');
    await writeFile(file, 'hello\nworld\n');

    const run = await runCli(['--endpoints-file', endpointsFile, file], 60_000);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('0 readings sent, 0 summaries written, 2 lines rejected (lines 1, 2)');
  });

  it('says why a file that is not gzip though named .gz was rejected whole, and exits 1', async () => {
    const file = join(dir, 'plain-text.ndjson.gz');
    await writeFile(file, 'this is not gzip\n');

    const run = await runCli(['--endpoints-file', endpointsFile, file], 60_000);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^uploads\/plain-text\.ndjson\.gz: REJECTED, nothing sent: INVALID_GZIP — /);
  });

  it('uploads the same file again and reports the new import, not the old report', async () => {
    const first = await runCli(['--endpoints-file', endpointsFile, '--key', 'again.ndjson', join(EXAMPLES, 'readings.ndjson')], 60_000);
    const second = await runCli(['--endpoints-file', endpointsFile, '--key', 'again.ndjson', join(EXAMPLES, 'upload-with-bad-lines.ndjson')], 60_000);

    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('5 readings sent');
    expect(second.code, second.stderr).toBe(3);
    expect(second.stdout).toContain('3 readings sent, 0 summaries written, 2 lines rejected');
  });

  it('works with nothing but the variables of local.env (no --local)', async () => {
    const env = await envFileVariables(localEnvFilePath(endpointsFile));

    const run = await runCli([join(EXAMPLES, 'readings.ndjson')], 60_000, { ...env, AWS_PROFILE: undefined });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('uploads/readings.ndjson: 5 readings sent, 0 summaries written, no line rejected\n');
  });
});

describe('upload CLI without an ingestion service', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach(killRunningClis);

  it('gives up after --timeout with one line naming the report it waited for, exit 1', async () => {
    const run = await runCli(['--endpoints-file', stack.endpointsFile, '--timeout', '2s', join(EXAMPLES, 'readings.ndjson')], 60_000);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/upload: no import report at s3:\/\/wildrydes-data\/reports\/readings\.ndjson\.json within 2 s; is the ingestion service running/);
  });

  it('--no-wait only uploads, exit 0', async () => {
    const run = await runCli(['--endpoints-file', stack.endpointsFile, '--no-wait', join(EXAMPLES, 'readings.ndjson')], 60_000);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['no-such-file.ndjson'], /upload: cannot read no-such-file.ndjson \(ENOENT\)/, 2],
    [[], /upload: missing required argument 'file'/, 2],
    [['--timeout', 'soon', 'x'], /expected a duration/, 2],
  ])('refuses %j with exit 2', async (args, message, code) => {
    const run = await runCli(['--endpoints-file', stack.endpointsFile, ...args]);

    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });

  it('says the bucket cannot be reached in one line, exit 1', async () => {
    const run = await runCli(['--endpoint', 'http://127.0.0.1:1', join(EXAMPLES, 'readings.ndjson')]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('upload: cannot reach S3 at http://127.0.0.1:1 (connect ECONNREFUSED)\n');
  });
});
