import { describe, expect, it } from 'vitest';
import { InMemoryArchiveStore, InMemoryQuarantine } from '@wildrydes/test-kit';
import { DEFAULT_HEALTH_POLICY, applyReadings, createAlert, type UnicornAlert } from '@wildrydes/domain';
import { ArchiveAlert } from './archive-alert.use-case';

const alert: UnicornAlert = createAlert({
  name: 'Bucephalus', kind: 'VitalLow', vital: 'HealthPoints', value: 99, threshold: 100,
  readingTime: Date.UTC(2026, 10, 22, 23, 59, 59, 120), latitude: 40.7612, longitude: -73.9719,
});
const RECEIVED = Date.UTC(2026, 10, 23, 0, 0, 1);

const setup = () => {
  const store = new InMemoryArchiveStore();
  const quarantine = new InMemoryQuarantine();
  return { store, quarantine, archiveAlert: new ArchiveAlert(store, quarantine) };
};

describe('ArchiveAlert', () => {
  it('writes one object per alert id, partitioned by the reading day, holding the alert as one JSON line', async () => {
    const { store, archiveAlert } = setup();
    const result = await archiveAlert.execute({ detail: alert, eventId: 'e-1', receivedAt: RECEIVED });
    const key = `alerts/dt=2026-11-22/${alert.alertId}.json.gz`;
    expect(result).toEqual({ outcome: 'archived', key, alert });
    expect(store.keys()).toEqual([key]);
    expect(await store.read(key)).toEqual([JSON.stringify(alert)]);
  });

  it('overwrites itself when the same alert is delivered again, even as another event', async () => {
    const { store, archiveAlert } = setup();
    await archiveAlert.execute({ detail: alert, eventId: 'e-1', receivedAt: RECEIVED });
    await archiveAlert.execute({ detail: { ...alert }, eventId: 'e-2', receivedAt: RECEIVED + 5000 });
    expect(store.keys()).toHaveLength(1);
  });

  it('archives every alert the health policy derives, each under its own id', async () => {
    const { store, archiveAlert } = setup();
    const T0 = Date.UTC(2026, 10, 22, 10);
    const at = (s: number, health: number) => ({ name: 'Rocinante', time: T0 + s * 1000, latitude: 1, longitude: 2, distance: 3, magicPoints: 150, healthPoints: health });
    const { alerts } = applyReadings(undefined, [at(0, 150), at(1, 99), at(2, 40), at(3, 150)], DEFAULT_HEALTH_POLICY);
    for (const a of alerts) await archiveAlert.execute({ detail: a, eventId: a.alertId, receivedAt: RECEIVED });
    expect(store.keys().sort()).toEqual(alerts.map((a) => `alerts/dt=2026-11-22/${a.alertId}.json.gz`).sort());
  });

  const invalid: readonly (readonly [string, unknown, string, RegExp])[] = [
    ['a missing detail', undefined, 'NOT_AN_OBJECT', /alert detail must be an object/],
    ['a string', 'VitalLow', 'NOT_AN_OBJECT', /alert detail must be an object/],
    ['an unknown schema version', { ...alert, schemaVersion: '2' }, 'WRONG_TYPE', /unsupported schemaVersion 2/],
    ['an unknown kind', { ...alert, kind: 'UnicornHappy' }, 'WRONG_TYPE', /unknown kind UnicornHappy/],
    ['an empty alert id', { ...alert, alertId: '' }, 'WRONG_TYPE', /alertId must be a non-empty string/],
    ['a reading time that is not a time', { ...alert, readingTime: 'yesterday-ish' }, 'INVALID_TIMESTAMP', /readingTime "yesterday-ish"/],
  ];

  it.each(invalid)('quarantines %s with its reason instead of dropping it', async (_name, detail, code, reason) => {
    const { store, quarantine, archiveAlert } = setup();
    const result = await archiveAlert.execute({ detail, eventId: 'evt-42', receivedAt: RECEIVED });
    expect(result).toMatchObject({ outcome: 'quarantined', code });
    expect(store.keys()).toEqual([]);
    const kept = quarantine.objects();
    expect([...kept.keys()]).toEqual(['rejected/dt=2026-11-23/hour=00/unicorn-alert~3Aevt-42.json.gz']);
    const [entry] = [...kept.values()][0] ?? [];
    expect(entry).toMatchObject({ sourcePosition: 'unicorn-alert:evt-42', code, line: 0, raw: JSON.stringify(detail) ?? 'undefined' });
    expect(entry?.reason).toMatch(reason);
  });

  it('quarantines a redelivered invalid event under the same key', async () => {
    const { quarantine, archiveAlert } = setup();
    const delivery = { detail: { ...alert, kind: 'UnicornHappy' }, eventId: 'evt-42', receivedAt: RECEIVED };
    await archiveAlert.execute(delivery);
    const first = quarantine.objects();
    await archiveAlert.execute(delivery);
    expect(quarantine.objects()).toEqual(first);
  });

  it('lets a failed write escape, so the invocation is retried', async () => {
    const { quarantine, archiveAlert } = setup();
    quarantine.failWith(new Error('AccessDenied'));
    await expect(archiveAlert.execute({ detail: null, eventId: 'e', receivedAt: RECEIVED })).rejects.toThrow('AccessDenied');
  });
});
