import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startLocalEventBridge,
  type EventBridgeEnvelope,
  type LocalEventBridge,
  type LocalEventBridgeOptions,
} from './index';

const ALERT_PATTERN = { source: ['wildrydes.unicorn-health'], 'detail-type': ['unicorn-alert'] };
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:notify-alert';

const started: { bridge: LocalEventBridge; client: EventBridgeClient }[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const { bridge, client } of started.splice(0)) {
    client.destroy();
    await bridge.close();
  }
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(options: LocalEventBridgeOptions = {}): Promise<{ bridge: LocalEventBridge; client: EventBridgeClient }> {
  const bridge = await startLocalEventBridge({ port: 0, ...options });
  const client = new EventBridgeClient({
    endpoint: bridge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  started.push({ bridge, client });
  return { bridge, client };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'local-eventbridge-'));
  tempDirs.push(dir);
  return dir;
}

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

function alertEntry(detail: Record<string, unknown>, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: 'wildrydes.unicorn-health',
    DetailType: 'unicorn-alert',
    Detail: JSON.stringify(detail),
    ...overrides,
  };
}

async function addAlertRule(client: EventBridgeClient, targetArn = HANDLER_ARN, busName?: string): Promise<string> {
  const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'unicorn-alerts', EventPattern: JSON.stringify(ALERT_PATTERN), EventBusName: busName }));
  await client.send(new PutTargetsCommand({ Rule: 'unicorn-alerts', EventBusName: busName, Targets: [{ Id: 'notify', Arn: targetArn }] }));
  return RuleArn as string;
}

/** Reads a live feed in the background, collecting one parsed event per line. */
function readFeed(url: string): { events: Record<string, unknown>[]; ended: Promise<void>; ready: Promise<Response>; abort: () => void } {
  const controller = new AbortController();
  const events: Record<string, unknown>[] = [];
  const ready = fetch(url, { signal: controller.signal });
  const ended = ready.then(async (response) => {
    if (!response.ok || response.body === null) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          events.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  });
  return { events, ended, ready, abort: () => controller.abort() };
}

describe('local EventBridge through @aws-sdk/client-eventbridge', () => {
  it('has the default bus and creates, lists, describes and deletes others', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const created = await client.send(new CreateEventBusCommand({ Name: 'wildrydes', Description: 'fleet events' }));
    const duplicate = await rejection(client.send(new CreateEventBusCommand({ Name: 'wildrydes' })));
    const described = await client.send(new DescribeEventBusCommand({ Name: 'wildrydes' }));
    const listed = await client.send(new ListEventBusesCommand({}));
    await client.send(new DeleteEventBusCommand({ Name: 'wildrydes' }));
    const gone = await rejection(client.send(new DescribeEventBusCommand({ Name: 'wildrydes' })));
    const defaultBus = await rejection(client.send(new DeleteEventBusCommand({ Name: 'default' })));

    // Assess
    expect(created.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/wildrydes');
    expect(duplicate.name).toBe('ResourceAlreadyExistsException');
    expect(described).toMatchObject({ Name: 'wildrydes', Arn: created.EventBusArn, Description: 'fleet events' });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(listed.EventBuses?.map((bus) => bus.Name)).toEqual(['default', 'wildrydes']);
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(defaultBus.name).toBe('ValidationException');
  });

  it('creates, lists, describes and deletes rules and targets, refusing to delete a rule that has targets', async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: 'wildrydes' }));

    // Act
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes', EventPattern: JSON.stringify(ALERT_PATTERN), Description: 'alerts' }));
    await client.send(new PutRuleCommand({ Name: 'unicorn-summaries', EventBusName: 'wildrydes', EventPattern: '{"source":["wildrydes.summary"]}', State: 'DISABLED' }));
    await client.send(new PutRuleCommand({ Name: 'on-default-bus', EventPattern: '{"source":["x"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'unicorn-alerts', EventBusName: 'wildrydes', Targets: [{ Id: 'notify', Arn: HANDLER_ARN }, { Id: 'archive', Arn: 'arn:aws:sqs:us-east-1:000000000000:alerts', InputPath: '$.detail' }] }));
    const described = await client.send(new DescribeRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes' }));
    const listedByPrefix = await client.send(new ListRulesCommand({ EventBusName: 'wildrydes', NamePrefix: 'unicorn-a' }));
    const listedOnBus = await client.send(new ListRulesCommand({ EventBusName: 'wildrydes' }));
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: 'unicorn-alerts', EventBusName: 'wildrydes' }));
    const refused = await rejection(client.send(new DeleteRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes' })));
    await client.send(new RemoveTargetsCommand({ Rule: 'unicorn-alerts', EventBusName: 'wildrydes', Ids: ['notify', 'archive'] }));
    await client.send(new DeleteRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes' }));
    const deleted = await rejection(client.send(new DescribeRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes' })));

    // Assess
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/wildrydes/unicorn-alerts');
    expect(described).toMatchObject({ Name: 'unicorn-alerts', Arn: RuleArn, EventPattern: JSON.stringify(ALERT_PATTERN), State: 'ENABLED', Description: 'alerts', EventBusName: 'wildrydes' });
    expect(listedByPrefix.Rules?.map((rule) => rule.Name)).toEqual(['unicorn-alerts']);
    expect(listedOnBus.Rules?.map((rule) => [rule.Name, rule.State])).toEqual([['unicorn-alerts', 'ENABLED'], ['unicorn-summaries', 'DISABLED']]);
    expect(targets.Targets).toEqual([{ Id: 'notify', Arn: HANDLER_ARN }, { Id: 'archive', Arn: 'arn:aws:sqs:us-east-1:000000000000:alerts', InputPath: '$.detail' }]);
    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toBe("Rule can't be deleted since it has targets.");
    expect(deleted.name).toBe('ResourceNotFoundException');
  });

  it('refuses a rule with neither pattern nor schedule, a schedule on a custom bus, and a target on a missing rule', async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: 'wildrydes' }));

    // Act
    const empty = await rejection(client.send(new PutRuleCommand({ Name: 'nothing' })));
    const scheduledOnCustomBus = await rejection(client.send(new PutRuleCommand({ Name: 'tick', EventBusName: 'wildrydes', ScheduleExpression: 'rate(5 minutes)' })));
    const badSchedule = await rejection(client.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minutes)' })));
    const missingRule = await rejection(client.send(new PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'a', Arn: HANDLER_ARN }] })));

    // Assess
    expect([empty.name, scheduledOnCustomBus.name, badSchedule.name, missingRule.name]).toEqual([
      'ValidationException', 'ValidationException', 'ValidationException', 'ResourceNotFoundException',
    ]);
  });

  it('routes a matching event to the registered handler with the exact EventBridge envelope', async () => {
    // Prepare
    const { bridge, client } = await start({ now: () => new Date('2026-03-01T12:34:56.789Z') });
    await client.send(new CreateEventBusCommand({ Name: 'wildrydes' }));
    await addAlertRule(client, HANDLER_ARN, 'wildrydes');
    const received: EventBridgeEnvelope[] = [];
    bridge.registerTargetHandler(HANDLER_ARN, (event) => {
      received.push(event);
    });

    // Act
    const result = await client.send(new PutEventsCommand({
      Entries: [
        alertEntry({ name: 'Shadowfax', kind: 'ignored' }, { EventBusName: 'wildrydes', DetailType: 'unicorn-summary' }),
        alertEntry({ name: 'Rocinante', healthPoints: 12 }, { EventBusName: 'wildrydes', Resources: ['arn:aws:wildrydes:unicorn/Rocinante'] }),
      ],
    }));
    await waitFor(() => received.length === 1);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.map((entry) => entry.EventId)).toEqual([expect.any(String), expect.any(String)]);
    expect(received).toEqual([{
      version: '0',
      id: result.Entries?.[1]?.EventId,
      'detail-type': 'unicorn-alert',
      source: 'wildrydes.unicorn-health',
      account: '000000000000',
      time: '2026-03-01T12:34:56Z',
      region: 'us-east-1',
      resources: ['arn:aws:wildrydes:unicorn/Rocinante'],
      detail: { name: 'Rocinante', healthPoints: 12 },
    }]);
    expect(Object.keys(received[0] ?? {})).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(result.Entries?.[1]?.EventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('uses the entry Time when given, delivers the InputPath selection, and skips disabled rules', async () => {
    // Prepare
    const { bridge, client } = await start();
    await client.send(new PutRuleCommand({ Name: 'details', EventPattern: JSON.stringify(ALERT_PATTERN) }));
    await client.send(new PutTargetsCommand({ Rule: 'details', Targets: [{ Id: 'detail-only', Arn: 'arn:local:detail', InputPath: '$.detail' }, { Id: 'time-only', Arn: 'arn:local:time', InputPath: '$.time' }] }));
    await client.send(new PutRuleCommand({ Name: 'disabled', EventPattern: JSON.stringify(ALERT_PATTERN) }));
    await client.send(new PutTargetsCommand({ Rule: 'disabled', Targets: [{ Id: 'never', Arn: 'arn:local:never' }] }));
    await client.send(new DisableRuleCommand({ Name: 'disabled' }));
    const details: unknown[] = [];
    const times: unknown[] = [];
    const never: unknown[] = [];
    bridge.registerTargetHandler('arn:local:detail', (detail) => void details.push(detail));
    bridge.registerTargetHandler('arn:local:time', (time) => void times.push(time));
    bridge.registerTargetHandler('arn:local:never', (event) => void never.push(event));

    // Act
    await client.send(new PutEventsCommand({ Entries: [alertEntry({ name: 'Bucephalus' }, { Time: new Date('2026-01-02T03:04:05Z') })] }));
    await waitFor(() => details.length === 1 && times.length === 1);

    // Assess
    expect(details).toEqual([{ name: 'Bucephalus' }]);
    expect(times).toEqual(['2026-01-02T03:04:05Z']);
    expect(never).toEqual([]);
  });

  it('refuses more than 10 entries, and reports malformed entries one by one', async () => {
    // Prepare
    const { client } = await start();
    const eleven = Array.from({ length: 11 }, (_, index) => alertEntry({ index }));

    // Act
    const tooMany = await rejection(client.send(new PutEventsCommand({ Entries: eleven })));
    const mixed = await client.send(new PutEventsCommand({
      Entries: [
        alertEntry({ ok: true }),
        alertEntry({}, { Detail: '[1, 2]' }),
        alertEntry({}, { Detail: 'not json' }),
        alertEntry({}, { Source: undefined }),
        alertEntry({}, { EventBusName: 'no-such-bus' }),
      ],
    }));

    // Assess
    expect(tooMany.name).toBe('ValidationException');
    expect(mixed.FailedEntryCount).toBe(4);
    expect(mixed.Entries?.map((entry) => entry.EventId ?? entry.ErrorCode)).toEqual([
      expect.any(String), 'MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'ResourceNotFoundException',
    ]);
  });

  it('refuses an invalid pattern with InvalidEventPatternException and tests patterns like TestEventPattern', async () => {
    // Prepare
    const { client } = await start();
    const event = JSON.stringify({ id: '1', account: '000000000000', source: 'wildrydes.unicorn-health', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'unicorn-alert', detail: { healthPoints: 3 } });

    // Act
    const invalidRule = await rejection(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "wildrydes"}' })));
    const invalidTest = await rejection(client.send(new TestEventPatternCommand({ EventPattern: '{"detail": {"healthPoints": [{"numeric": [">", "5"]}]}}', Event: event })));
    const low = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail": {"healthPoints": [{"numeric": ["<", 5]}]}}', Event: event }));
    const high = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail": {"healthPoints": [{"numeric": [">=", 5]}]}}', Event: event }));
    const notAnEvent = await rejection(client.send(new TestEventPatternCommand({ EventPattern: '{"source": ["x"]}', Event: '{"source": "x"}' })));

    // Assess
    expect(invalidRule.name).toBe('InvalidEventPatternException');
    expect(invalidRule.message).toContain('inside a JSON array');
    expect(invalidTest.name).toBe('InvalidEventPatternException');
    expect([low.Result, high.Result]).toEqual([true, false]);
    expect(notAnEvent.name).toBe('ValidationException');
  });

  it('retries a failing handler with backoff, then dead-letters the event without failing PutEvents', async () => {
    // Prepare
    const { bridge, client } = await start({ deliveryAttempts: 3, retryBaseDelayMs: 5 });
    await addAlertRule(client);
    const attempts: number[] = [];
    bridge.registerTargetHandler(HANDLER_ARN, (_event, delivery) => {
      attempts.push(delivery.attempt);
      throw new Error('notification service is down');
    });

    // Act
    const result = await client.send(new PutEventsCommand({ Entries: [alertEntry({ name: 'Pegasus' })] }));
    const [letter] = await waitFor(() => (bridge.deadLetters().length === 1 ? bridge.deadLetters() : undefined));

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
    expect(letter).toMatchObject({ targetId: 'notify', targetArn: HANDLER_ARN, attempts: 3, error: 'notification service is down', event: { detail: { name: 'Pegasus' } } });
  });

  it('delivers on a retry when the handler recovers', async () => {
    // Prepare
    const { bridge, client } = await start({ retryBaseDelayMs: 5 });
    await addAlertRule(client);
    const delivered: EventBridgeEnvelope[] = [];
    let calls = 0;
    bridge.registerTargetHandler(HANDLER_ARN, async (event) => {
      calls += 1;
      if (calls === 1) throw new Error('cold start');
      delivered.push(event);
    });

    // Act
    await client.send(new PutEventsCommand({ Entries: [alertEntry({ name: 'Epona' })] }));
    await waitFor(() => delivered.length === 1);

    // Assess
    expect(delivered[0]?.detail).toEqual({ name: 'Epona' });
    expect(bridge.deadLetters()).toEqual([]);
  });

  it('streams matching events on the live feed as NDJSON, and ends the feed on close', async () => {
    // Prepare
    const { bridge, client } = await start();
    await client.send(new CreateEventBusCommand({ Name: 'wildrydes' }));
    const pattern = encodeURIComponent(JSON.stringify({ ...ALERT_PATTERN, detail: { healthPoints: [{ numeric: ['<', 20] }] } }));
    const feed = readFeed(`${bridge.url}/_local/feed?pattern=${pattern}&bus=wildrydes`);
    const response = await feed.ready;

    // Act
    await client.send(new PutEventsCommand({
      Entries: [
        alertEntry({ name: 'healthy', healthPoints: 90 }, { EventBusName: 'wildrydes' }),
        alertEntry({ name: 'other-bus', healthPoints: 1 }),
        alertEntry({ name: 'ill', healthPoints: 5 }, { EventBusName: 'wildrydes' }),
      ],
    }));
    await client.send(new PutEventsCommand({ Entries: [alertEntry({ name: 'worse', healthPoints: 2 }, { EventBusName: 'wildrydes' })] }));
    await waitFor(() => feed.events.length === 2);
    await bridge.close();
    await feed.ended;

    // Assess
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(feed.events.map((event) => (event.detail as { name: string }).name)).toEqual(['ill', 'worse']);
    expect(feed.events[0]).toMatchObject({ version: '0', source: 'wildrydes.unicorn-health', 'detail-type': 'unicorn-alert' });
  });

  it('answers a feed with an invalid pattern with 400 and the InvalidEventPatternException message', async () => {
    // Prepare
    const { bridge } = await start();

    // Act
    const response = await fetch(`${bridge.url}/_local/feed?pattern=${encodeURIComponent('{"source":[]}')}`);
    const body = (await response.json()) as { __type: string; message: string };

    // Assess
    expect(response.status).toBe(400);
    expect(body).toEqual({ __type: 'InvalidEventPatternException', message: expect.stringContaining('empty arrays are not allowed') });
  });

  it('keeps buses, rules and targets across a restart and appends every accepted event to the bus log', async () => {
    // Prepare
    const dataDir = await tempDir();
    const first = await start({ dataDir });
    await first.client.send(new CreateEventBusCommand({ Name: 'wildrydes' }));
    await addAlertRule(first.client, HANDLER_ARN, 'wildrydes');
    await first.client.send(new PutEventsCommand({ Entries: [alertEntry({ n: 1 }, { EventBusName: 'wildrydes' }), alertEntry({ n: 2 }, { EventBusName: 'wildrydes', Source: 'elsewhere' })] }));
    first.client.destroy();
    await first.bridge.close();

    // Act
    const second = await start({ dataDir });
    const delivered: EventBridgeEnvelope[] = [];
    second.bridge.registerTargetHandler(HANDLER_ARN, (event) => void delivered.push(event));
    const rule = await second.client.send(new DescribeRuleCommand({ Name: 'unicorn-alerts', EventBusName: 'wildrydes' }));
    const targets = await second.client.send(new ListTargetsByRuleCommand({ Rule: 'unicorn-alerts', EventBusName: 'wildrydes' }));
    await second.client.send(new PutEventsCommand({ Entries: [alertEntry({ n: 3 }, { EventBusName: 'wildrydes' })] }));
    await waitFor(() => delivered.length === 1);
    const log = (await readFile(join(dataDir, 'eventbridge', 'wildrydes.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as EventBridgeEnvelope);

    // Assess
    expect(rule.EventPattern).toBe(JSON.stringify(ALERT_PATTERN));
    expect(targets.Targets).toEqual([{ Id: 'notify', Arn: HANDLER_ARN }]);
    expect(delivered[0]?.detail).toEqual({ n: 3 });
    expect(log.map((event) => event.detail)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('fires a rate(1 minute) rule as Scheduled Events to its targets, scaled down for the test', async () => {
    // Prepare
    const { bridge, client } = await start({ scheduleScale: 0.0005 });
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
    await client.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'tick', Arn: 'arn:local:tick' }] }));
    const ticks: EventBridgeEnvelope[] = [];

    // Act
    bridge.registerTargetHandler('arn:local:tick', (event) => void ticks.push(event));
    await waitFor(() => ticks.length >= 2);

    // Assess
    expect(ticks[0]).toMatchObject({ version: '0', source: 'aws.events', 'detail-type': 'Scheduled Event', resources: [RuleArn], detail: {} });
    expect(ticks[0]?.id).not.toBe(ticks[1]?.id);
  });
});
