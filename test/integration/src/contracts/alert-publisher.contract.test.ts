import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { parseUnicornAlert, UNICORN_ALERT, type UnicornAlert } from '@wildrydes/domain';
import { describe, expect, it } from 'vitest';
import { EventBridgeAlertPublisher } from '@wildrydes/adapters/eventbridge';
import { startLocalEventBridge, type EventBridgeEnvelope, type LocalEventBridge } from '@wildrydes/local-aws';
import { eventually, useLocalRuntime } from '@wildrydes/local-aws/testing';
import { InMemoryAlertPublisher } from '@wildrydes/test-kit';
import { anAlert, describeAlertPublisherContract, type AlertPublisherFactory } from '@wildrydes/test-kit';

const NO_WAIT = { sleep: async () => undefined, random: () => 0.5 };

let bridge: LocalEventBridge | undefined;
let buses = 0;

// The runtime's own bus, kept at hand so the test can register an in-process rule target.
const local = useLocalRuntime({ startEventBridge: async (options) => (bridge = await startLocalEventBridge(options)) });

async function waitFor<T>(items: readonly T[], count: number, what: string): Promise<T[]> {
  await eventually(() => items.length >= count, { timeoutMs: 10_000, what: `${count} ${what}` });
  return [...items];
}

/** A fresh bus with a rule on the `unicorn-alert` contract and an in-process target collecting envelopes. */
async function subscribedBus(): Promise<{ busName: string; envelopes: EventBridgeEnvelope[] }> {
  const busName = `alerts-${process.pid}-${++buses}`;
  const targetArn = `arn:aws:lambda:us-east-1:000000000000:function:${busName}-subscriber`;
  await local.clients.eventBridge.send(new CreateEventBusCommand({ Name: busName }));
  await local.clients.eventBridge.send(new PutRuleCommand({
    Name: 'unicorn-alerts',
    EventBusName: busName,
    EventPattern: JSON.stringify({ source: [UNICORN_ALERT.source], 'detail-type': [UNICORN_ALERT.detailType] }),
  }));
  await local.clients.eventBridge.send(new PutTargetsCommand({ Rule: 'unicorn-alerts', EventBusName: busName, Targets: [{ Id: 'subscriber', Arn: targetArn }] }));
  const envelopes: EventBridgeEnvelope[] = [];
  (bridge as LocalEventBridge).registerTargetHandler(targetArn, (event: EventBridgeEnvelope) => {
    envelopes.push(event);
  });
  return { busName, envelopes };
}

const inMemory: AlertPublisherFactory = {
  healthy: async () => {
    const publisher = new InMemoryAlertPublisher();
    return { publisher, received: async (count) => waitFor(publisher.published(), count, 'alerts') };
  },
  refusingEverything: async () => new InMemoryAlertPublisher({ failureMode: () => true }),
};

const eventBridgeOnLocalBus: AlertPublisherFactory = {
  healthy: async () => {
    const { busName, envelopes } = await subscribedBus();
    return {
      publisher: new EventBridgeAlertPublisher(local.clients.eventBridge, busName, { environment: NO_WAIT }),
      received: async (count): Promise<UnicornAlert[]> =>
        (await waitFor(envelopes, count, 'events')).map((envelope) => parseUnicornAlert(envelope.detail)),
    };
  },
  // The local bus refuses entries for a missing bus with a per-entry ResourceNotFoundException.
  refusingEverything: async () => new EventBridgeAlertPublisher(local.clients.eventBridge, `missing-${process.pid}`, { environment: NO_WAIT }),
};

describe.each([
  { implementation: 'InMemoryAlertPublisher', factory: inMemory },
  { implementation: 'EventBridgeAlertPublisher on the local EventBridge', factory: eventBridgeOnLocalBus },
])('$implementation', ({ implementation, factory }) => {
  describeAlertPublisherContract(implementation, factory);
});

describe('EventBridgeAlertPublisher on the local EventBridge: the envelope subscribers see', () => {
  it('carries the unicorn-alert source and detail-type, the reading time and no resources', async () => {
    // Prepare
    const { busName, envelopes } = await subscribedBus();
    const alerts = [anAlert(1), anAlert(2)];

    // Act
    await new EventBridgeAlertPublisher(local.clients.eventBridge, busName, { environment: NO_WAIT }).publish(alerts);

    // Assess
    const received = await waitFor(envelopes, 2, 'events');
    expect(received.map(({ id: _id, account: _account, region: _region, ...rest }) => rest)).toEqual(
      alerts.map((alert) => ({
        version: '0',
        source: 'wildrydes.health',
        'detail-type': 'unicorn-alert',
        // EventBridge keeps whole seconds: the reading at 12:00:01.123 is stamped 12:00:01Z.
        time: `${alert.readingTime.slice(0, 10)}T${alert.readingTime.slice(11, 19)}Z`,
        resources: [],
        detail: alert,
      })),
    );
  });
});
