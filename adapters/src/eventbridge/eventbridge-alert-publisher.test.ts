import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { createAlert, type UnicornAlert } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackoffEnvironment } from '../sdk/capped-backoff';
import { AlertPublishError } from '@wildrydes/domain';
import { EventBridgeAlertPublisher } from './eventbridge-alert-publisher';

const eventBridge = mockClient(EventBridgeClient);

const anAlert = (i: number): UnicornAlert =>
  createAlert({
    name: `Unicorn-${i}`,
    kind: 'VitalLow',
    vital: 'HealthPoints',
    value: 90,
    threshold: 100,
    readingTime: Date.UTC(2025, 0, 1, 12, 0, i, 250),
    latitude: 40.7,
    longitude: -73.9,
  });

const entryOf = (alert: UnicornAlert) => ({
  EventBusName: 'wildrydes',
  Source: 'wildrydes.health',
  DetailType: 'unicorn-alert',
  Detail: JSON.stringify(alert),
  Time: new Date(Date.UTC(2025, 0, 1, 12, 0, Number(alert.name.slice('Unicorn-'.length)), 250)),
  Resources: [],
});
const ok = (i: number) => ({ EventId: `event-${i}` });
const failed = (code: string) => ({ ErrorCode: code, ErrorMessage: `${code} happened` });
const acceptAll = (input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ok(i)) });

function noWait(): BackoffEnvironment & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 };
}

async function errorOf(promise: Promise<unknown>): Promise<AlertPublishError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(AlertPublishError);
  return error as AlertPublishError;
}

describe('EventBridgeAlertPublisher', () => {
  let environment: ReturnType<typeof noWait>;
  let publisher: EventBridgeAlertPublisher;

  beforeEach(() => {
    eventBridge.reset();
    environment = noWait();
    publisher = new EventBridgeAlertPublisher(new EventBridgeClient({}), 'wildrydes', {
      environment,
      backoff: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
    });
  });

  it('sends nothing for an empty list', async () => {
    // Act
    await publisher.publish([]);

    // Assess
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('sends 23 alerts as PutEvents of 10, 10 and 3 entries of the unicorn-alert contract, stamped with the reading time', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const alerts = Array.from({ length: 23 }, (_, i) => anAlert(i));

    // Act
    await publisher.publish(alerts);

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: alerts.slice(0, 10).map(entryOf) },
      { Entries: alerts.slice(10, 20).map(entryOf) },
      { Entries: alerts.slice(20).map(entryOf) },
    ]);
  });

  it('retries only the entries that failed with a retryable code', async () => {
    // Prepare
    const alerts = Array.from({ length: 4 }, (_, i) => anAlert(i));
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 2, Entries: [ok(0), failed('ThrottlingException'), ok(2), failed('InternalFailure')] })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [ok(1), ok(3)] });

    // Act
    await publisher.publish(alerts);

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(eventBridge).toHaveReceivedNthCommandWith(PutEventsCommand, 2, { Entries: [entryOf(alerts[1]!), entryOf(alerts[3]!)] });
    expect(environment.sleeps).toEqual([50]);
  });

  it('throws AlertPublishError naming entries refused for good, without retrying them, after publishing the rest', async () => {
    // Prepare
    const alerts = Array.from({ length: 3 }, (_, i) => anAlert(i));
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [ok(0), failed('MalformedDetail'), ok(2)] });

    // Act
    const error = await errorOf(publisher.publish(alerts));

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(error.code).toBe('ALERT_PUBLISH_FAILED');
    expect(error.failures).toEqual([{ alertId: alerts[1]!.alertId, errorCode: 'MalformedDetail', errorMessage: 'MalformedDetail happened' }]);
  });

  it('throws AlertPublishError naming the entries still throttled when the retries run out', async () => {
    // Prepare
    const alerts = [anAlert(0), anAlert(1)];
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((entry, i) => (entry.Detail?.includes('Unicorn-1') ? failed('ThrottlingException') : ok(i))),
    }));

    // Act
    const error = await errorOf(publisher.publish(alerts));

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(error.failedAlertIds).toEqual([alerts[1]!.alertId]);
    expect(error.failures[0]?.errorCode).toBe('ThrottlingException');
  });

  it('retries a whole call that was throttled', async () => {
    // Prepare
    const alerts = [anAlert(0)];
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .callsFake(acceptAll);

    // Act
    await publisher.publish(alerts);

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('stops at a call error retrying cannot fix and names every alert not published, with the cause', async () => {
    // Prepare
    const alerts = Array.from({ length: 15 }, (_, i) => anAlert(i));
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    eventBridge.on(PutEventsCommand).rejects(denied);

    // Act
    const error = await errorOf(publisher.publish(alerts));

    // Assess
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(error.failedAlertIds).toEqual(alerts.map((alert) => alert.alertId));
    expect(error.cause).toBe(denied);
  });

  it('refuses an alert whose reading time is not a status time before sending anything', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const broken = { ...anAlert(1), readingTime: 'yesterday' };

    // Act
    const publishing = publisher.publish([anAlert(0), broken]);

    // Assess
    await expect(publishing).rejects.toMatchObject({ code: 'INVALID_ALERT' });
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });
});
