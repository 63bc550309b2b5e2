import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { kinesisEvent, kinesisWindowEvent } from '@wildrydes/test-kit';
import type { DecodedKinesisEvent } from './kinesis-event-readings';
import { kinesisWindowHandler, type TumblingWindowInvocation, type WindowOutcome } from './kinesis-window-handler';

const NOW = Date.UTC(2026, 10, 22, 10, 5);
const line = (name: string, second: number) =>
  JSON.stringify({ Distance: 29.5, HealthPoints: 150, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: `2026-11-22 10:00:${String(second).padStart(2, '0')}.000` });

/** A handler whose process records what it was given and answers `outcome`. */
function handlerAnswering(outcome: (decoded: DecodedKinesisEvent, invocation: TumblingWindowInvocation) => WindowOutcome | Promise<WindowOutcome>) {
  const seen: { decoded: DecodedKinesisEvent; invocation: TumblingWindowInvocation }[] = [];
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'test', serviceName: 'test' });
  const added = vi.spyOn(metrics, 'addMetric');
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  const handler = kinesisWindowHandler({ logger, metrics, clock: () => NOW }, async (decoded, invocation) => {
    seen.push({ decoded, invocation });
    return outcome(decoded, invocation);
  });
  return { handler, seen, added, logger };
}

describe('kinesisWindowHandler', () => {
  it('hands the process the decoded records and the window\'s state, and answers with the state it returns', async () => {
    // Prepare
    const { handler, seen } = handlerAnswering(() => ({ state: { v: 1, n: 2 }, counts: {} }));

    // Act
    const response = await handler(kinesisWindowEvent([`${line('Shadowfax', 1)}\n`, 'not json'], { state: { v: 1, n: 1 } }));

    // Assess
    expect(response).toEqual({ state: { v: 1, n: 2 }, batchItemFailures: [] });
    expect(seen[0]!.invocation).toEqual({ state: { v: 1, n: 1 }, final: false, window: { start: '2026-11-22T10:00:00Z', end: '2026-11-22T10:15:00Z' } });
    expect(seen[0]!.decoded.readings.map((r) => r.reading.name)).toEqual(['Shadowfax']);
    expect(seen[0]!.decoded.quarantined).toHaveLength(1);
  });

  it.each([
    ['the window\'s first invocation: no state, not final', {}, { state: undefined, final: false }],
    ['its final invocation', { state: { v: 1 }, isFinalInvokeForWindow: true }, { state: { v: 1 }, final: true }],
    ['a window cut short (state over 1 MB)', { state: { v: 1 }, isWindowTerminatedEarly: true }, { state: { v: 1 }, final: true }],
  ])('tells the process %s', async (_what, options, expected) => {
    const { handler, seen } = handlerAnswering(() => ({ state: {}, counts: {} }));
    await handler(kinesisWindowEvent([], options));
    expect(seen[0]!.invocation).toMatchObject(expected);
  });

  it('treats a plain batch (no tumbling window) as a window of its own: no state in, final', async () => {
    // Prepare
    const { handler, seen } = handlerAnswering(() => ({ state: {}, counts: {} }));

    // Act
    const response = await handler(kinesisEvent([`${line('Shadowfax', 1)}\n`]));

    // Assess
    expect(seen[0]!.invocation).toEqual({ state: undefined, final: true });
    expect(response).toEqual({ state: {}, batchItemFailures: [] });
  });

  it('reports the records to redeliver, once each, beside the state', async () => {
    const { handler } = handlerAnswering(() => ({ state: { v: 1 }, counts: {}, failedSequenceNumbers: ['1001', '1001'] }));
    const response = await handler(kinesisWindowEvent([`${line('A', 1)}\n`, `${line('B', 1)}\n`]));
    expect(response).toEqual({ state: { v: 1 }, batchItemFailures: [{ itemIdentifier: '1001' }] });
  });

  it('publishes the batch\'s counts and its rejected records', async () => {
    const { handler, added } = handlerAnswering(() => ({ state: {}, counts: { MinutesEmitted: 3 } }));
    await handler(kinesisWindowEvent(['not json']));
    expect(added.mock.calls.map(([name, , value]) => [name, value])).toEqual([['RecordsRejected', 1], ['MinutesEmitted', 3]]);
  });

  it('logs and rethrows a failure, so Lambda retries the invocation with the same state', async () => {
    // Prepare
    const { handler, logger } = handlerAnswering(() => { throw new Error('store unavailable'); });
    const logged = vi.spyOn(logger, 'error');

    // Act + Assess
    await expect(handler(kinesisWindowEvent([`${line('A', 1)}\n`], { state: { v: 1 } }))).rejects.toThrow('store unavailable');
    expect(logged).toHaveBeenCalledOnce();
  });
});
