import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../runtime/local-runtime.test-support';
import type { EventBridgeEnvelope } from './event-envelope';
import { EventBusState, type BusState, type RuleFields, type RuleState, type TargetState } from './event-bus-state';
import { RuleDelivery, type DeadLetter, type RuleDeliveryOptions } from './rule-delivery';
import { aUnicornAlertEnvelope } from './unicorn-alert-envelope.mother';

const NOW = new Date('2026-03-01T12:34:56.789Z');
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:notify-alert';
const ALERT_PATTERN = JSON.stringify({ source: ['wildrydes.unicorn-health'], 'detail-type': ['unicorn-alert'] });

const deliveries: RuleDelivery[] = [];

afterEach(() => {
  for (const delivery of deliveries.splice(0)) delivery.close();
  vi.restoreAllMocks();
});

function aDelivery(options: Partial<RuleDeliveryOptions> = {}): { delivery: RuleDelivery; kept: DeadLetter[] } {
  const kept: DeadLetter[] = [];
  const delivery = new RuleDelivery({
    deliveryAttempts: 3,
    retryBaseDelayMs: 1,
    now: () => NOW,
    keepDeadLetter: async (letter) => void kept.push(letter),
    ...options,
  });
  deliveries.push(delivery);
  return { delivery, kept };
}

/** The default bus with one rule per entry, each built by the real state so patterns compile as in the server. */
async function aBusWith(rules: readonly (Partial<RuleFields> & { name: string; targets: readonly TargetState[] })[]): Promise<{ bus: BusState; rules: RuleState[] }> {
  const state = new EventBusState({ region: 'us-east-1', accountId: '000000000000', now: () => NOW });
  await state.load();
  const bus = state.bus('default') as BusState;
  const made = rules.map(({ targets, ...fields }) =>
    state.makeRule(bus.name, { state: 'ENABLED', eventPattern: ALERT_PATTERN, ...fields }, new Map(targets.map((target) => [target.Id, target]))),
  );
  for (const rule of made) bus.rules.set(rule.name, rule);
  return { bus, rules: made };
}

describe('RuleDelivery', () => {
  it.each<[string, number, number, number[], number]>([
    ['a handler that succeeds at once', 0, 3, [1], 0],
    ['a handler that recovers on the second attempt', 1, 3, [1, 2], 0],
    ['a handler that recovers on the last attempt', 2, 3, [1, 2, 3], 0],
    ['a handler that never recovers', Infinity, 3, [1, 2, 3], 1],
    ['a handler that fails its only attempt', Infinity, 1, [1], 1],
  ])('calls %s until it succeeds or runs out of attempts', async (_, failures, deliveryAttempts, attempts, deadLetters) => {
    // Prepare
    const { delivery, kept } = aDelivery({ deliveryAttempts });
    const { bus } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN }] }]);
    const seen: number[] = [];
    let succeeded = false;
    delivery.registerTargetHandler(HANDLER_ARN, async (_event, { attempt }) => {
      seen.push(attempt);
      if (attempt <= failures) throw new Error(`attempt ${attempt} failed`);
      succeeded = true;
    });

    // Act
    delivery.route(bus, aUnicornAlertEnvelope());
    await eventually(() => succeeded || delivery.deadLetters().length > 0, { intervalMs: 5, what: 'a delivery or a dead letter' });

    // Assess
    expect(seen).toEqual(attempts);
    expect(delivery.deadLetters()).toHaveLength(deadLetters);
    expect(kept).toEqual(delivery.deadLetters());
  });

  it('dead-letters what the handler would have received, with the last error and the rule and target', async () => {
    // Prepare
    const { delivery } = aDelivery({ deliveryAttempts: 2 });
    const { bus, rules } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN, InputPath: '$.detail' }] }]);
    delivery.registerTargetHandler(HANDLER_ARN, (_event, { attempt }) => {
      throw new Error(`notification service is down (attempt ${attempt})`);
    });

    // Act
    delivery.route(bus, aUnicornAlertEnvelope({ name: 'Pegasus' }));
    const [letter] = await eventually(() => (delivery.deadLetters().length > 0 ? delivery.deadLetters() : undefined), { intervalMs: 5 });

    // Assess
    expect(letter).toEqual({
      event: { name: 'Pegasus' },
      ruleArn: rules[0]?.arn,
      targetId: 'notify',
      targetArn: HANDLER_ARN,
      attempts: 2,
      error: 'notification service is down (attempt 2)',
      at: NOW.toISOString(),
    });
  });

  it.each<[string, Partial<TargetState>, unknown]>([
    ['the envelope when the target has no Input or InputPath', {}, 'envelope'],
    ['the envelope for InputPath $', { InputPath: '$' }, 'envelope'],
    ['the selected value for a nested InputPath', { InputPath: '$.detail.name' }, 'Rocinante'],
    ['null for an InputPath that selects nothing', { InputPath: '$.detail.owner.name' }, null],
    ['the constant for Input', { Input: '{"fixed":true}' }, { fixed: true }],
  ])('hands the target %s', async (_, input, expected) => {
    // Prepare
    const { delivery } = aDelivery();
    const { bus } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN, ...input }] }]);
    const event = aUnicornAlertEnvelope();
    const received: unknown[] = [];
    delivery.registerTargetHandler(HANDLER_ARN, (payload) => void received.push(payload));

    // Act
    delivery.route(bus, event);
    await eventually(() => received.length > 0, { intervalMs: 5 });

    // Assess
    expect(received).toEqual([expected === 'envelope' ? event : expected]);
  });

  it('delivers only to the enabled rules whose pattern matches, and only to targets with a handler', async () => {
    // Prepare
    const { delivery } = aDelivery();
    const { bus } = await aBusWith([
      { name: 'alerts', targets: [{ Id: 'a', Arn: 'arn:local:alerts' }, { Id: 'nobody', Arn: 'arn:local:unhandled' }] },
      { name: 'summaries', eventPattern: '{"detail-type":["unicorn-summary"]}', targets: [{ Id: 's', Arn: 'arn:local:summaries' }] },
      { name: 'disabled', state: 'DISABLED', targets: [{ Id: 'd', Arn: 'arn:local:disabled' }] },
      { name: 'scheduled', eventPattern: undefined, scheduleExpression: 'rate(1 day)', targets: [{ Id: 't', Arn: 'arn:local:scheduled' }] },
    ]);
    const received: string[] = [];
    for (const arn of ['arn:local:alerts', 'arn:local:summaries', 'arn:local:disabled', 'arn:local:scheduled']) {
      delivery.registerTargetHandler(arn, (event: EventBridgeEnvelope) => void received.push(`${arn} ${event['detail-type']}`));
    }

    // Act
    delivery.route(bus, aUnicornAlertEnvelope());
    delivery.route(bus, aUnicornAlertEnvelope({}, { detailType: 'unicorn-summary' }));
    await eventually(() => received.length >= 2, { intervalMs: 5 });

    // Assess
    expect(received.sort()).toEqual(['arn:local:alerts unicorn-alert', 'arn:local:summaries unicorn-summary']);
    expect(delivery.deadLetters()).toEqual([]);
  });

  it('keeps a newer handler when an older one is unregistered, and dead-letters a retry that finds no handler', async () => {
    // Prepare
    const { delivery } = aDelivery({ deliveryAttempts: 2 });
    const { bus } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN }] }]);
    const unregisterOld = delivery.registerTargetHandler(HANDLER_ARN, () => undefined);
    const unregisterNew = delivery.registerTargetHandler(HANDLER_ARN, () => {
      unregisterNew();
      throw new Error('gone');
    });

    // Act
    unregisterOld();
    delivery.route(bus, aUnicornAlertEnvelope());
    const [letter] = await eventually(() => (delivery.deadLetters().length > 0 ? delivery.deadLetters() : undefined), { intervalMs: 5 });

    // Assess
    expect(letter).toMatchObject({ attempts: 2, error: `no handler is registered for ${HANDLER_ARN} any more` });
  });

  it('dead-letters, on close, what waits for its first attempt or for a retry', async () => {
    // Prepare
    const { delivery, kept } = aDelivery({ retryBaseDelayMs: 60_000 });
    const { bus } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN }] }]);
    let calls = 0;
    delivery.registerTargetHandler(HANDLER_ARN, () => {
      calls += 1;
      throw new Error('cold start');
    });
    delivery.route(bus, aUnicornAlertEnvelope({ name: 'waits for a retry' }));
    await eventually(() => calls === 1, { intervalMs: 5 });

    // Act
    delivery.route(bus, aUnicornAlertEnvelope({ name: 'waits for its first attempt' }));
    delivery.close();
    await eventually(() => kept.length === 2, { intervalMs: 5 });

    // Assess
    expect(delivery.deadLetters().map((letter) => [(letter.event as EventBridgeEnvelope).detail.name, letter.attempts, letter.error])).toEqual([
      ['waits for a retry', 1, 'the server closed before retry 2: Error: cold start'],
      ['waits for its first attempt', 0, 'the server closed before delivery'],
    ]);
    expect(calls).toBe(1);
  });

  it('keeps a dead letter in memory and logs the error when the data dir refuses it', async () => {
    // Prepare
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { delivery } = aDelivery({ deliveryAttempts: 1, keepDeadLetter: () => Promise.reject(new Error('disk full')) });
    const { bus } = await aBusWith([{ name: 'unicorn-alerts', targets: [{ Id: 'notify', Arn: HANDLER_ARN }] }]);
    delivery.registerTargetHandler(HANDLER_ARN, () => {
      throw new Error('down');
    });

    // Act
    delivery.route(bus, aUnicornAlertEnvelope());
    await eventually(() => log.mock.calls.length > 0, { intervalMs: 5, what: 'the write error to be logged' });

    // Assess
    expect(delivery.deadLetters()).toHaveLength(1);
    expect(log.mock.calls[0]).toEqual(['local EventBridge: could not write a dead letter', new Error('disk full')]);
  });
});
