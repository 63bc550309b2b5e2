import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeAlertPublisher } from '@wildrydes/adapters/eventbridge';
import { KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { createAlert, RESOURCE_NAMES } from '@wildrydes/domain';
import { eventually, killRunningClis, localEnvVariables, runCli, startCli, startTestStack, type TestStack } from '@wildrydes/cli-support';

const utf8 = new TextEncoder();
const reading = (name: string, second: number, distance = 29.5): string =>
  `{"Distance":${distance},"HealthPoints":150,"Latitude":40.7492,"Longitude":-73.9852,"MagicPoints":151,"Name":"${name}","StatusTime":"2026-11-22 10:00:0${second}.000"}\n`;

describe('consumer CLI (a real process)', () => {
  afterEach(killRunningClis);

  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: consumer [options]');
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--from', 'yesterday'], '--from yesterday: expected latest, trim-horizon or a timestamp'],
    [['--max', '0'], "option '--max <n>' argument '0' is invalid"],
    [['--alerts', '--local', '--pattern', '{"detail":5}'], '--pattern: Event pattern is not valid'],
    [['--pattern', '{}'], '--pattern filters alerts: use it with --alerts'],
    [['--alerts'], '--alerts on AWS reads the SQS queue the stack subscribes to unicorn-alert: give --queue-url'],
  ])('refuses %j with a clear message and exit 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^consumer: /);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('prints one line and exits 1 when Kinesis cannot be reached', async () => {
    const { code, stderr } = await runCli(['--endpoint', 'http://127.0.0.1:1', '--max', '1']);
    expect(code).toBe(1);
    expect(stderr).toBe('consumer: cannot reach Kinesis at http://127.0.0.1:1 (connect ECONNREFUSED)\n');
  });

  describe('against the local stack', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack();
      // Prepare: one reading, an NDJSON pack of two, a poison record, all on one shard (one partition key).
      const stream = new KinesisTelemetryStream(stack.clients.kinesis, RESOURCE_NAMES.telemetryStream);
      const outcome = await stream.put([
        { partitionKey: 'Shadowfax', data: utf8.encode(reading('Shadowfax', 1)) },
        { partitionKey: 'Shadowfax', data: utf8.encode(reading('Shadowfax', 2) + reading('Shadowfax', 3, 30)) },
        { partitionKey: 'Shadowfax', data: utf8.encode('{"Name":"Shadowfax","StatusTime":') },
      ]);
      expect(outcome.accepted).toBe(3);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('--from trim-horizon --max 3 prints every record as JSON indented by 4 spaces, the poison one as is', async () => {
      // Act
      const { code, stdout, stderr } = await runCli(['--endpoints-file', stack.endpointsFile, '-stream', 'wildrydes', '--from', 'trim-horizon', '--max', '3', '--timeout', '20s']);

      // Assess
      expect(code, stderr).toBe(0);
      const pretty = (text: string): string => `${JSON.stringify(JSON.parse(text), null, 4)}\n`;
      expect(stdout).toBe(pretty(reading('Shadowfax', 1)) + pretty(reading('Shadowfax', 2)) + pretty(reading('Shadowfax', 3, 30)) + '{"Name":"Shadowfax","StatusTime":\n');
      expect(stdout).toContain('\n    "Distance": 29.5,\n');
      expect(stderr).toMatch(/^consumer: record \d+ on shardId-\d+, line 1, is not JSON \(.+\); printed as is\n$/);
    });

    it('reads the local stack with only the variables of local.env, no --local (what `consumer | jq` needs: JSON only on stdout)', async () => {
      // Prepare
      const env = await localEnvVariables(stack.endpointsFile);

      // Act
      const { code, stdout, stderr } = await runCli(['--from', 'trim-horizon', '--max', '2', '--compact', '--timeout', '20s'], 30_000, { ...env, AWS_PROFILE: undefined });

      // Assess
      expect(code, stderr).toBe(0);
      expect(stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { Name: string }).Name)).toEqual(['Shadowfax', 'Shadowfax', 'Shadowfax']);
    });

    it('--compact prints one line per reading', async () => {
      const { code, stdout } = await runCli(['--endpoints-file', stack.endpointsFile, '--from', 'trim-horizon', '--max', '2', '--compact', '--timeout', '20s']);
      expect(code).toBe(0);
      expect(stdout).toBe(reading('Shadowfax', 1) + reading('Shadowfax', 2) + reading('Shadowfax', 3, 30));
    });

    it('--timeout ends a read that finds nothing new, exit 0', async () => {
      const { code, stdout } = await runCli(['--endpoints-file', stack.endpointsFile, '--timeout', '1500ms']);
      expect(code).toBe(0);
      expect(stdout).toBe('');
    });

    it('--alerts prints the unicorn-alert events that match --pattern, from the local bus', async () => {
      // Arrange
      const consumer = startCli([
        '--endpoints-file', stack.endpointsFile, '--alerts', '--compact', '--max', '1', '--timeout', '25s',
        '--pattern', '{"detail":{"severity":["critical"]}}',
      ]);
      const publisher = new EventBridgeAlertPublisher(stack.clients.eventBridge, RESOURCE_NAMES.eventBus);
      const alert = (kind: 'VitalLow' | 'VitalCritical', value: number) =>
        createAlert({ name: 'Bucephalus', kind, vital: 'HealthPoints', value, threshold: kind === 'VitalLow' ? 100 : 50, readingTime: Date.UTC(2026, 10, 22, 10), latitude: 40.7, longitude: -73.9 });

      // Act: publish until the consumer (subscribing in its own time) has printed one
      await eventually(async () => {
        await publisher.publish([alert('VitalLow', 90), alert('VitalCritical', 40)]);
        return consumer.stdout().includes('\n');
      }, 'an alert printed');
      const code = await consumer.exited;

      // Assess
      expect(code, consumer.stderr()).toBe(0);
      const event = JSON.parse(consumer.stdout()) as { 'detail-type': string; source: string; detail: { kind: string; severity: string; name: string } };
      expect(event['detail-type']).toBe('unicorn-alert');
      expect(event.source).toBe('wildrydes.health');
      expect(event.detail).toMatchObject({ kind: 'VitalCritical', severity: 'critical', name: 'Bucephalus' });
    });
  });
});
