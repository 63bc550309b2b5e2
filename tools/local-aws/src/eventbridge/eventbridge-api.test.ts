import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from './event-envelope';
import { EventBusState, type RuleState } from './event-bus-state';
import { EventBridgeApi } from './eventbridge-api';
import { toApiError, type Json } from './eventbridge-request-validation';
import type { RuleSchedules } from './rule-schedules';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-03-01T12:34:56.789Z');
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:notify-alert';
const ALERT_PATTERN = JSON.stringify({ source: ['wildrydes.unicorn-health'], 'detail-type': ['unicorn-alert'] });

/** Records which rules the API starts and stops timers for; no timer ever runs. */
class RecordingSchedules implements Pick<RuleSchedules, 'start' | 'stop'> {
  readonly calls: string[] = [];

  start(rule: RuleState): void {
    this.calls.push(`start ${rule.name}${rule.scheduleExpression === undefined ? '' : ` ${rule.scheduleExpression}`}`);
  }

  stop(rule: RuleState): void {
    this.calls.push(`stop ${rule.name}`);
  }
}

/** An API over in-memory state that holds a `wildrydes` bus whose `unicorn-alerts` rule has one target. */
async function anApi(): Promise<{ api: EventBridgeApi; schedules: RecordingSchedules; published: { bus: string; event: EventBridgeEnvelope }[] }> {
  const now = (): Date => NOW;
  const state = new EventBusState({ region: 'eu-west-1', accountId: ACCOUNT, now });
  await state.load();
  const schedules = new RecordingSchedules();
  const published: { bus: string; event: EventBridgeEnvelope }[] = [];
  const api = new EventBridgeApi({
    state,
    schedules,
    publish: (bus, event) => void published.push({ bus: bus.name, event }),
    region: 'eu-west-1',
    accountId: ACCOUNT,
    now,
  });
  await api.invoke('CreateEventBus', { Name: 'wildrydes' });
  await api.invoke('PutRule', { Name: 'unicorn-alerts', EventBusName: 'wildrydes', EventPattern: ALERT_PATTERN });
  await api.invoke('PutTargets', { Rule: 'unicorn-alerts', EventBusName: 'wildrydes', Targets: [{ Id: 'notify', Arn: HANDLER_ARN }] });
  schedules.calls.length = 0;
  return { api, schedules, published };
}

/** The code the HTTP layer would answer with, whichever module threw. */
async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (thrown: unknown) => thrown,
  );
  return toApiError(error).code;
}

function alertEntry(overrides: Json = {}): Json {
  return { Source: 'wildrydes.unicorn-health', DetailType: 'unicorn-alert', Detail: '{"name":"Rocinante"}', EventBusName: 'wildrydes', ...overrides };
}

const FIVE_TARGETS = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ Id: id, Arn: HANDLER_ARN }));
const TEST_EVENT = JSON.stringify({ id: '1', account: ACCOUNT, source: 'x', time: '2026-01-01T00:00:00Z', region: 'eu-west-1', 'detail-type': 'y', detail: {} });

describe('EventBridgeApi', () => {
  it.each<[string, string, Json, string]>([
    ['a bus name with a space', 'CreateEventBus', { Name: 'wild rydes' }, 'ValidationException'],
    ['a bus name in the aws. namespace', 'CreateEventBus', { Name: 'aws.partner' }, 'ValidationException'],
    ['a bus that exists', 'CreateEventBus', { Name: 'wildrydes' }, 'ResourceAlreadyExistsException'],
    ['deleting the default bus', 'DeleteEventBus', { Name: 'default' }, 'ValidationException'],
    ['deleting a bus that has rules', 'DeleteEventBus', { Name: 'wildrydes' }, 'ValidationException'],
    ['describing a missing bus', 'DescribeEventBus', { Name: 'missing' }, 'ResourceNotFoundException'],
    ['a rule with neither pattern nor schedule', 'PutRule', { Name: 'nothing' }, 'ValidationException'],
    ['a schedule on a custom bus', 'PutRule', { Name: 'tick', EventBusName: 'wildrydes', ScheduleExpression: 'rate(5 minutes)' }, 'ValidationException'],
    ['a rule state AWS does not have', 'PutRule', { Name: 'paused', EventPattern: ALERT_PATTERN, State: 'PAUSED' }, 'ValidationException'],
    ['a rule name of 65 characters', 'PutRule', { Name: 'r'.repeat(65), EventPattern: ALERT_PATTERN }, 'ValidationException'],
    ['a pattern that does not compile', 'PutRule', { Name: 'bad', EventPattern: '{"source": "x"}' }, 'InvalidEventPatternException'],
    ['a schedule that does not parse', 'PutRule', { Name: 'bad', ScheduleExpression: 'rate(1 minutes)' }, 'ValidationException'],
    ['a rule on a missing bus', 'PutRule', { Name: 'r', EventBusName: 'missing', EventPattern: ALERT_PATTERN }, 'ResourceNotFoundException'],
    ['describing a missing rule', 'DescribeRule', { Name: 'missing', EventBusName: 'wildrydes' }, 'ResourceNotFoundException'],
    ['deleting a rule that has targets', 'DeleteRule', { Name: 'unicorn-alerts', EventBusName: 'wildrydes' }, 'ValidationException'],
    ['a sixth target', 'PutTargets', { Rule: 'unicorn-alerts', EventBusName: 'wildrydes', Targets: FIVE_TARGETS }, 'LimitExceededException'],
    ['targets on a missing rule', 'PutTargets', { Rule: 'missing', Targets: [{ Id: 'a', Arn: HANDLER_ARN }] }, 'ResourceNotFoundException'],
    ['removing a target id that is not a string', 'RemoveTargets', { Rule: 'unicorn-alerts', EventBusName: 'wildrydes', Ids: [1] }, 'ValidationException'],
    ['PutEvents without entries', 'PutEvents', { Entries: [] }, 'ValidationException'],
    ['a test event that is not JSON', 'TestEventPattern', { EventPattern: ALERT_PATTERN, Event: '{' }, 'ValidationException'],
    ['a test event without the envelope fields', 'TestEventPattern', { EventPattern: ALERT_PATTERN, Event: '{"source":"x"}' }, 'ValidationException'],
    ['an operation it does not have', 'PutPermission', {}, 'UnknownOperationException'],
  ])('refuses %s', async (_, operation, input, code) => {
    // Prepare
    const { api } = await anApi();

    // Act
    const answered = await errorCodeOf(api.invoke(operation, input));

    // Assess
    expect(answered).toBe(code);
  });

  it.each<[string, unknown, string]>([
    ['an entry that is not an object', 'event', 'InvalidArgument'],
    ['an entry without Source', alertEntry({ Source: undefined }), 'InvalidArgument'],
    ['an entry with an empty DetailType', alertEntry({ DetailType: '' }), 'InvalidArgument'],
    ['a Detail that is not JSON', alertEntry({ Detail: 'not json' }), 'MalformedDetail'],
    ['a Detail that is an array', alertEntry({ Detail: '[1, 2]' }), 'MalformedDetail'],
    ['a Detail that is a string', alertEntry({ Detail: '"alert"' }), 'MalformedDetail'],
    ['Resources that are not strings', alertEntry({ Resources: [1] }), 'InvalidArgument'],
    ['a Time that is not a time', alertEntry({ Time: 'yesterday' }), 'InvalidArgument'],
    ['a bus that does not exist', alertEntry({ EventBusName: 'missing' }), 'ResourceNotFoundException'],
  ])('answers PutEvents with %s as one failed entry and publishes nothing', async (_, entry, code) => {
    // Prepare
    const { api, published } = await anApi();

    // Act
    const result = await api.invoke('PutEvents', { Entries: [entry] });

    // Assess
    expect(result).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: code, ErrorMessage: expect.any(String) }] });
    expect(published).toEqual([]);
  });

  it('publishes the accepted entries of a PutEvents in order, as envelopes with their ids', async () => {
    // Prepare
    const { api, published } = await anApi();

    // Act
    const result = await api.invoke('PutEvents', {
      Entries: [
        alertEntry({ Detail: '{"n":1}', Resources: ['arn:aws:wildrydes:unicorn/Rocinante'] }),
        alertEntry({ Detail: 'broken' }),
        alertEntry({ Detail: '{"n":2}', EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/default', Time: 1_767_323_045 }),
      ],
    });

    // Assess
    const entries = result.Entries as { EventId?: string }[];
    expect(result.FailedEntryCount).toBe(1);
    expect(published.map(({ bus, event }) => [bus, event.id])).toEqual([['wildrydes', entries[0]?.EventId], ['default', entries[2]?.EventId]]);
    expect(published[0]?.event).toEqual({
      version: '0',
      id: entries[0]?.EventId,
      'detail-type': 'unicorn-alert',
      source: 'wildrydes.unicorn-health',
      account: ACCOUNT,
      time: '2026-03-01T12:34:56Z',
      region: 'eu-west-1',
      resources: ['arn:aws:wildrydes:unicorn/Rocinante'],
      detail: { n: 1 },
    });
    expect(published[1]?.event.time).toBe('2026-01-02T03:04:05Z');
  });

  it('replaces a rule on PutRule, keeping only its targets, and moves its timer to the new rule', async () => {
    // Prepare
    const { api, schedules } = await anApi();
    await api.invoke('PutRule', { Name: 'tick', ScheduleExpression: 'rate(5 minutes)', Description: 'every five minutes' });
    await api.invoke('PutTargets', { Rule: 'tick', Targets: [{ Id: 'tock', Arn: HANDLER_ARN }] });

    // Act
    await api.invoke('PutRule', { Name: 'tick', EventPattern: ALERT_PATTERN });
    const described = await api.invoke('DescribeRule', { Name: 'tick' });
    const targets = await api.invoke('ListTargetsByRule', { Rule: 'tick' });

    // Assess
    expect(described).toEqual({
      Name: 'tick',
      Arn: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/tick`,
      EventPattern: ALERT_PATTERN,
      State: 'ENABLED',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    expect(targets).toEqual({ Targets: [{ Id: 'tock', Arn: HANDLER_ARN }] });
    expect(schedules.calls).toEqual(['start tick rate(5 minutes)', 'stop tick', 'start tick']);
  });

  it.each<[string, string, string]>([
    ['DisableRule', 'DISABLED', 'stop'],
    ['EnableRule', 'ENABLED', 'start'],
  ])('%s sets the state to %s and calls %s for its timer', async (operation, state, call) => {
    // Prepare
    const { api, schedules } = await anApi();

    // Act
    await api.invoke(operation, { Name: 'unicorn-alerts', EventBusName: 'wildrydes' });
    const described = await api.invoke('DescribeRule', { Name: 'unicorn-alerts', EventBusName: 'wildrydes' });

    // Assess
    expect(described.State).toBe(state);
    expect(schedules.calls).toEqual([`${call} unicorn-alerts`]);
  });

  it.each<[string, string, boolean]>([
    ['a pattern the event matches', '{"source":["x"],"detail-type":["y"]}', true],
    ['a pattern the event does not match', '{"source":["x"],"detail-type":["z"]}', false],
  ])('answers TestEventPattern for %s', async (_, pattern, matches) => {
    // Prepare
    const { api, published } = await anApi();

    // Act
    const result = await api.invoke('TestEventPattern', { EventPattern: pattern, Event: TEST_EVENT });

    // Assess
    expect(result).toEqual({ Result: matches });
    expect(published).toEqual([]);
  });

  it('lists rules sorted by name, a page at a time', async () => {
    // Prepare
    const { api } = await anApi();
    for (const name of ['c-rule', 'a-rule', 'b-rule']) await api.invoke('PutRule', { Name: name, EventPattern: ALERT_PATTERN });

    // Act
    const first = await api.invoke('ListRules', { Limit: 2 });
    const second = await api.invoke('ListRules', { Limit: 2, NextToken: first.NextToken });

    // Assess
    const names = (page: Json): unknown[] => (page.Rules as { Name: string }[]).map((rule) => rule.Name);
    expect([names(first), names(second)]).toEqual([['a-rule', 'b-rule'], ['c-rule']]);
    expect(second).not.toHaveProperty('NextToken');
  });

  it.each<[string, string | null, string | null, string | undefined, boolean]>([
    ['no query', null, null, 'default', false],
    ['a bus and no pattern', 'wildrydes', '', 'wildrydes', false],
    ['a bus ARN and a pattern', 'arn:aws:events:eu-west-1:123456789012:event-bus/wildrydes', ALERT_PATTERN, 'wildrydes', true],
  ])('resolves a feed with %s', async (_, bus, pattern, busName, filtered) => {
    // Prepare
    const { api } = await anApi();

    // Act
    const selection = api.resolveFeed(bus, pattern);

    // Assess
    expect([selection.busName, selection.compiled !== undefined]).toEqual([busName, filtered]);
  });

  it.each<[string, string | null, string | null, string]>([
    ['a missing bus', 'missing', null, 'ResourceNotFoundException'],
    ['a pattern that does not compile', null, '{"source":[]}', 'InvalidEventPatternException'],
  ])('refuses a feed with %s', async (_, bus, pattern, code) => {
    // Prepare
    const { api } = await anApi();

    // Act
    const answered = await errorCodeOf(Promise.resolve().then(() => api.resolveFeed(bus, pattern)));

    // Assess
    expect(answered).toBe(code);
  });
});
