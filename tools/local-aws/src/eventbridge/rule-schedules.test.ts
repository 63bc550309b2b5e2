import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBridgeEnvelope } from './event-envelope';
import { EventBusState, type RuleFields, type RuleState } from './event-bus-state';
import { RuleSchedules } from './rule-schedules';

const START = new Date('2026-03-01T12:34:56.789Z');

// A fake clock instead of waiting: the timers and the clock the schedules read move together, exactly.
beforeEach(() => {
  vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

async function aRule(fields: Partial<RuleFields>): Promise<RuleState> {
  const state = new EventBusState({ region: 'us-east-1', accountId: '000000000000', now: () => new Date() });
  await state.load();
  return state.makeRule('default', { name: 'tick', state: 'ENABLED', ...fields });
}

function schedulesSendingTo(fired: EventBridgeEnvelope[], scale = 1): RuleSchedules {
  return new RuleSchedules({
    region: 'us-east-1',
    accountId: '000000000000',
    now: () => new Date(),
    scale,
    deliver: (_rule, event) => void fired.push(event),
  });
}

/** A `rate(1 minute)` rule, and schedules that collect what it fires. */
async function aMinuteRule(): Promise<{ rule: RuleState; fired: EventBridgeEnvelope[]; schedules: RuleSchedules }> {
  const rule = await aRule({ scheduleExpression: 'rate(1 minute)' });
  const fired: EventBridgeEnvelope[] = [];
  return { rule, fired, schedules: schedulesSendingTo(fired) };
}

describe('RuleSchedules', () => {
  it.each<[string, Partial<RuleFields>, number, number, string[]]>([
    ['rate(5 minutes)', { scheduleExpression: 'rate(5 minutes)' }, 1, 16 * 60_000, ['12:39:56', '12:44:56', '12:49:56']],
    ['rate(1 minute) scaled by 0.001', { scheduleExpression: 'rate(1 minute)' }, 0.001, 150, ['12:34:56', '12:34:56']],
    ['cron(0/15 * * * ? *)', { scheduleExpression: 'cron(0/15 * * * ? *)' }, 1, 30 * 60_000, ['12:45:00', '13:00:00']],
    ['a disabled rule', { scheduleExpression: 'rate(1 minute)', state: 'DISABLED' }, 1, 10 * 60_000, []],
    ['a rule without a schedule', { eventPattern: '{"source":["x"]}' }, 1, 10 * 60_000, []],
  ])('fires %s at the times of its schedule', async (_, fields, scale, advanceMs, times) => {
    // Prepare
    const rule = await aRule(fields);
    const fired: EventBridgeEnvelope[] = [];
    const schedules = schedulesSendingTo(fired, scale);

    // Act
    schedules.start(rule);
    await vi.advanceTimersByTimeAsync(advanceMs);
    schedules.stopAll();

    // Assess
    expect(fired.map((event) => event.time)).toEqual(times.map((time) => `2026-03-01T${time}Z`));
  });

  it('sends Scheduled Event envelopes for the rule, each with its own id', async () => {
    // Prepare
    const { rule, fired, schedules } = await aMinuteRule();

    // Act
    schedules.start(rule);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    schedules.stopAll();

    // Assess
    expect(fired).toEqual([
      expect.objectContaining({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', resources: [rule.arn], detail: {} }),
      expect.objectContaining({ 'detail-type': 'Scheduled Event' }),
    ]);
    expect(fired[0]?.id).not.toBe(fired[1]?.id);
  });

  it.each<[string, (schedules: RuleSchedules, rule: RuleState) => void]>([
    ['stop', (schedules, rule) => schedules.stop(rule)],
    ['stopAll', (schedules) => schedules.stopAll()],
    ['stopAll, even when started again', (schedules, rule) => {
      schedules.stopAll();
      schedules.start(rule);
    }],
  ])('fires nothing after %s', async (_, stop) => {
    // Prepare
    const { rule, fired, schedules } = await aMinuteRule();
    schedules.start(rule);

    // Act
    stop(schedules, rule);
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // Assess
    expect(fired).toEqual([]);
  });

  it('keeps one timer per rule when a rule is started again', async () => {
    // Prepare
    const { rule, fired, schedules } = await aMinuteRule();

    // Act
    schedules.start(rule);
    schedules.start(rule);
    await vi.advanceTimersByTimeAsync(60_000);
    schedules.stopAll();

    // Assess
    expect(fired).toHaveLength(1);
  });
});
