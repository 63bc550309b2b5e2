import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, createAlert, type AlertKind, type AlertPublisher, type UnicornAlert } from '@wildrydes/domain';
import { AlertPublishError } from '@wildrydes/domain';

export interface AlertPublisherUnderTest {
  readonly publisher: AlertPublisher;
  /** The alert details subscribers received, once there are `count` of them, in arrival order. */
  received(count: number): Promise<UnicornAlert[]>;
}

export interface AlertPublisherFactory {
  /** A publisher on a fresh bus with one subscriber to `unicorn-alert`. */
  healthy(): Promise<AlertPublisherUnderTest>;
  /** A publisher whose bus refuses every event for good (e.g. the bus does not exist). */
  refusingEverything(): Promise<AlertPublisher>;
}

const VITAL_OF: Record<AlertKind, 'MagicPoints' | 'HealthPoints' | null> = {
  VitalLow: 'HealthPoints',
  VitalCritical: 'MagicPoints',
  VitalRecovered: 'HealthPoints',
  UnicornSilent: null,
  UnicornBack: null,
};

/** The i-th of a fleet's alerts: distinct ids, every kind, readings a second apart. */
export function anAlert(i: number, name = `Unicorn-${i}`): UnicornAlert {
  const kind = ALERT_KINDS[i % ALERT_KINDS.length] as AlertKind;
  const vital = VITAL_OF[kind];
  return createAlert({
    name,
    kind,
    vital,
    value: vital === null ? null : 40 + i,
    threshold: vital === null ? null : 50,
    readingTime: Date.UTC(2025, 0, 1, 12, 0, 0) + i * 1_000 + 123,
    latitude: 40.7 + i / 1000,
    longitude: -73.9 - i / 1000,
  });
}

const byId = (alerts: readonly UnicornAlert[]): UnicornAlert[] => [...alerts].sort((a, b) => a.alertId.localeCompare(b.alertId));

/** What subscribers of `unicorn-alert` can count on, whatever publishes the alerts. */
export function describeAlertPublisherContract(name: string, factory: AlertPublisherFactory): void {
  describe(`AlertPublisher contract: ${name}`, () => {
    it('publishes nothing for an empty list', async () => {
      // Prepare
      const subject = await factory.healthy();
      const sentinel = anAlert(0, 'Sentinel');

      // Act
      await subject.publisher.publish([]);
      await subject.publisher.publish([sentinel]);

      // Assess
      expect(await subject.received(1)).toEqual([sentinel]);
    });

    it('delivers each of 23 alerts (more than one PutEvents holds) once, detail intact', async () => {
      // Prepare
      const subject = await factory.healthy();
      const alerts = Array.from({ length: 23 }, (_, i) => anAlert(i));
      const sentinel = anAlert(0, 'Sentinel');

      // Act
      await subject.publisher.publish(alerts);
      await subject.publisher.publish([sentinel]);

      // Assess: a duplicate would arrive in the sentinel's place.
      const received = await subject.received(24);
      expect(byId(received)).toEqual(byId([...alerts, sentinel]));
    });

    it('delivers a re-published alert again under the same id, so subscribers can drop the replay', async () => {
      // Prepare
      const subject = await factory.healthy();
      const alert = anAlert(7);

      // Act
      await subject.publisher.publish([alert]);
      await subject.publisher.publish([alert]);

      // Assess
      expect(await subject.received(2)).toEqual([alert, alert]);
    });

    it('throws AlertPublishError naming every alert the bus refused', async () => {
      // Prepare
      const publisher = await factory.refusingEverything();
      const alerts = Array.from({ length: 12 }, (_, i) => anAlert(i));

      // Act
      const publishing = publisher.publish(alerts);

      // Assess
      const error = await publishing.then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AlertPublishError);
      expect((error as AlertPublishError).code).toBe('ALERT_PUBLISH_FAILED');
      expect([...(error as AlertPublishError).failedAlertIds].sort()).toEqual(alerts.map((alert) => alert.alertId).sort());
    });
  });
}
