import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, killRunningClis, runCli, readStream, startCli, startTestStack, type TestStack } from '@wildrydes/cli-support';

const utf8 = new TextDecoder();

describe('producer CLI (a real process)', () => {
  afterEach(killRunningClis);

  it('prints its usage for --help and -help, and exits 0', async () => {
    // Act
    const [gnu, go] = await Promise.all([runCli(['--help']), runCli(['-help'])]);

    // Assess
    expect(gnu.code).toBe(0);
    expect(gnu.stdout).toContain('Usage: producer [options]');
    expect(gnu.stdout).toContain('--fleet <n>');
    expect(go.code).toBe(0);
    expect(go.stdout).toBe(gnu.stdout);
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--fleet', 'abc'], "option '--fleet <n>' argument 'abc' is invalid"],
    [['-error', 'maybe'], "argument 'maybe' is invalid. Allowed choices are yes, no"],
    [['--duration', 'soon'], 'expected a duration such as 90s'],
    [['--endpoint', 'not-a-url'], 'expected an http(s) URL'],
    [['--fleet', '3', '--name', 'Rocinante'], '--name Rocinante is already unicorn #3 of the fleet'],
    [['--scenario', 'decline=Nobody'], '--scenario decline=Nobody: no unicorn of that name'],
  ])('refuses %j with a clear message and exit 2', async (args, message) => {
    // Act
    const { code, stderr, stdout } = await runCli(args);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(/^producer: /);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('prints one line and exits 1 when Kinesis cannot be reached', async () => {
    // Act
    const { code, stderr } = await runCli(['--endpoint', 'http://127.0.0.1:1', '-msgs', '1']);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe('producer: cannot reach Kinesis at http://127.0.0.1:1 (connect ECONNREFUSED)\n');
  });

  it('prints records instead of sending them with --dry-run', async () => {
    // Act
    const { code, stdout } = await runCli(['--dry-run', '--rate', '0', '-msgs', '4', '-name', 'Dryrun', '--format', 'v1', '--seed', '7']);

    // Assess
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(Object.keys(lines[0] ?? {})).toEqual(['Name', 'StatusTime', 'Latitude', 'Longitude', 'Distance', 'MagicPoints', 'HealthPoints']);
    expect(lines.every((line) => line['Name'] === 'Dryrun' && Number.isInteger(line['Distance']))).toBe(true);
  });

  describe('against the local stack', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack();
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('single mode, workshop flags: -msgs 5 prints ..... and puts the 5 readings', async () => {
      // Act
      const { code, stdout } = await runCli(['--endpoints-file', stack.endpointsFile, '-name', 'Quickhoof', '-msgs', '5', '--rate', '10']);

      // Assess
      expect(code).toBe(0);
      expect(stdout).toBe('.....');
      const records = (await readStream(stack.clients, 'wildrydes', (r) => r.filter((x) => x.partitionKey === 'Quickhoof').length >= 5)).filter(
        (record) => record.partitionKey === 'Quickhoof',
      );
      const readings = records.map((record) => JSON.parse(utf8.decode(record.data)) as { Name: string; StatusTime: string });
      expect(readings).toHaveLength(5);
      expect(readings.every((reading) => reading.Name === 'Quickhoof')).toBe(true);
      expect(readings.map((reading) => reading.StatusTime)).toEqual([...readings.map((reading) => reading.StatusTime)].sort());
    });

    it('fleet mode: --fleet 3 --rate 0 --pack 5 puts what its totals say, each record one unicorn in order', async () => {
      // Act
      const { code, stdout, stderr } = await runCli([
        '--endpoints-file', stack.endpointsFile, '--fleet', '3', '-name', 'Packrunner', '--rate', '0', '--duration', '1500ms', '--pack', '5', '--seed', '3',
      ]);

      // Assess
      expect(code, stderr).toBe(0);
      expect(stdout).toBe('');
      const totals = /sent (\d+) readings in (\d+) records .*throttled (\d+), failed (\d+)/.exec(stderr);
      expect(totals, stderr).not.toBeNull();
      const [readings, records, , failed] = (totals as RegExpExecArray).slice(1).map(Number) as [number, number, number, number];
      expect(failed).toBe(0);
      expect(readings).toBeGreaterThan(15);
      const fleetKeys = new Set(['Packrunner', 'Bucephalus', 'Rocinante']);
      const onStream = (await readStream(stack.clients, 'wildrydes', (r) => r.filter((x) => fleetKeys.has(x.partitionKey)).length >= records)).filter(
        (record) => fleetKeys.has(record.partitionKey),
      );
      expect(onStream).toHaveLength(records);
      const lines = onStream.map((record) => utf8.decode(record.data).trimEnd().split('\n').map((line) => JSON.parse(line) as { Name: string; StatusTime: string }));
      expect(lines.flat()).toHaveLength(readings);
      expect(lines.every((pack) => pack.length >= 1 && pack.length <= 5)).toBe(true);
      expect(onStream.every((record, i) => (lines[i] ?? []).every((line) => line.Name === record.partitionKey))).toBe(true);
      for (const name of fleetKeys) {
        const times = lines.flat().filter((line) => line.Name === name).map((line) => line.StatusTime);
        expect(times).toEqual([...times].sort());
      }
    });

    it('says which stream does not exist, in one line, exit 1', async () => {
      // Act
      const { code, stderr } = await runCli(['--endpoints-file', stack.endpointsFile, '-stream', 'nope', '-msgs', '1']);

      // Assess
      expect(code).toBe(1);
      expect(stderr).toBe('producer: stream "nope" does not exist\n');
    });
  });

  it('rides out Kinesis going away mid-run and coming back (issue 12, defect 8): retries, then prints totals that match the stream', async () => {
    // Prepare: a runtime that keeps its data, so it can be stopped and started again on the same port.
    const dir = await mkdtemp(join(tmpdir(), 'wildrydes-producer-outage-'));
    const dataDir = join(dir, 'data');
    let outageStack = await startTestStack({ dataDir });
    const kinesisPort = Number(new URL(outageStack.runtime.endpoints.kinesis).port);
    try {
      const cli = startCli(['--endpoint', outageStack.runtime.endpoints.kinesis, '--fleet', '2', '-name', 'Outage', '--rate', '20', '--duration', '8s', '--seed', '5']);
      await eventually(() => /sent [1-9]\d* readings/.test(cli.stderr()) || cli.stdout() !== '' || undefined, 'the producer sending', 20_000);

      // Act: Kinesis goes away for a moment, then comes back on the same port with the same data.
      await outageStack.stop();
      await eventually(() => cli.stderr().includes('unreachable') || undefined, 'the producer noticing the outage');
      outageStack = await startTestStack({ dataDir, kinesisPort });
      const code = await cli.exited;

      // Assess
      const stderr = cli.stderr();
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('Kinesis is reachable again');
      const totals = /producer: sent (\d+) readings in (\d+) records .*failed (\d+)/.exec(stderr);
      expect(totals, stderr).not.toBeNull();
      const [sent, , failed] = (totals as RegExpExecArray).slice(1).map(Number) as [number, number, number];
      expect(failed).toBe(0);
      const fleet = new Set(['Outage', 'Bucephalus']);
      const onStream = (await readStream(outageStack.clients, 'wildrydes', (r) => new Set(r.filter((x) => fleet.has(x.partitionKey)).map((x) => utf8.decode(x.data))).size >= sent))
        .filter((record) => fleet.has(record.partitionKey));
      // Every reading acknowledged is on the stream; a batch resent after the drop may be there twice, never missing.
      const distinct = new Set(onStream.map((record) => { const r = JSON.parse(utf8.decode(record.data)) as { Name: string; StatusTime: string }; return `${r.Name}|${r.StatusTime}`; }));
      expect(distinct.size).toBe(sent);
    } finally {
      await outageStack.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
