import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { InMemoryArchiveStore, InMemoryQuarantine } from '@wildrydes/test-kit';
import { alertObjectKey, parseStatusTime, parseUnicornAlert } from '@wildrydes/domain';
import { ALERT_EXAMPLES as EXAMPLES, vitalLow, type AlertEvent } from '@wildrydes/test-kit';
import { createArchiveAlertHandler } from './archive-alert.handler';
import { ArchiveAlert } from './archive-alert.use-case';

const setup = () => {
  const store = new InMemoryArchiveStore();
  const quarantine = new InMemoryQuarantine();
  const handler = createArchiveAlertHandler({
    archiveAlert: new ArchiveAlert(store, quarantine),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
    clock: () => Date.UTC(2026, 10, 22, 12),
  });
  return { store, quarantine, handler };
};

describe('archive-alert handler', () => {
  it.each(EXAMPLES)('archives the %s example under alerts/ by its reading day and alert id', async (_name, event) => {
    // Prepare
    const { store, handler } = setup();
    const detail = parseUnicornAlert(event.detail);
    const key = alertObjectKey(parseStatusTime(detail.readingTime), detail.alertId);
    // Act
    const result = await handler(event);
    // Assess
    expect(result).toMatchObject({ outcome: 'archived', key });
    expect(key).toMatch(/^alerts\/dt=\d{4}-\d{2}-\d{2}\/[0-9a-f]+\.json\.gz$/);
    expect((await store.read(key)).map((l) => JSON.parse(l) as unknown)).toEqual([event.detail]);
  });

  it('leaves one object per alert when every example is delivered twice', async () => {
    const { store, handler } = setup();
    for (const [, event] of [...EXAMPLES, ...EXAMPLES]) await handler(event);
    expect(store.keys()).toHaveLength(EXAMPLES.length);
  });

  it('quarantines a detail that breaks the contract, partitioned by the event time and keyed by the event id', async () => {
    const { store, quarantine, handler } = setup();
    const broken: AlertEvent = { ...vitalLow, detail: { ...vitalLow.detail, severity: 'apocalyptic' } };
    const result = await handler(broken);
    expect(result).toMatchObject({ outcome: 'quarantined', code: 'WRONG_TYPE' });
    expect(store.keys()).toEqual([]);
    expect([...quarantine.objects().keys()]).toEqual([`rejected/dt=2026-11-22/hour=10/unicorn-alert~3A${vitalLow.id}.json.gz`]);
  });

  it('uses the clock only when the event has no usable time', async () => {
    const { quarantine, handler } = setup();
    await handler({ ...vitalLow, time: 'not a time', detail: 'x' });
    expect([...quarantine.objects().keys()][0]).toMatch(/^rejected\/dt=2026-11-22\/hour=12\//);
  });

  it('throws when the archive cannot be written, so Lambda retries the event', async () => {
    const quarantine = new InMemoryQuarantine();
    const handler = createArchiveAlertHandler({
      archiveAlert: new ArchiveAlert({ write: async () => { throw new Error('SlowDown'); }, read: async () => [], list: async function* () { /* nothing */ } }, quarantine),
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
      clock: () => 0,
    });
    await expect(handler(vitalLow)).rejects.toThrow('SlowDown');
  });
});
