import { describe, expect, it } from 'vitest';
import { kinesisEvent } from '@wildrydes/test-kit';
import { StreamServiceStatsRecorder } from './stream-service-stats';

describe('StreamServiceStatsRecorder', () => {
  it('counts invocations and records and keeps the latest and largest iterator age, failures included', async () => {
    // Prepare
    let now = 0;
    const recorder = new StreamServiceStatsRecorder(() => now);
    const event = kinesisEvent(['{}', '{}']);
    const arrival = event.Records[1]!.kinesis.approximateArrivalTimestamp * 1000;
    const handler = recorder.observe('health', async () => ({ batchItemFailures: [] }));
    const failing = recorder.observe('health', async () => { throw new Error('boom'); });

    // Act
    now = arrival + 5_000;
    await handler(event);
    now = arrival + 1_000;
    await expect(failing(event)).rejects.toThrow('boom');

    // Assess
    expect(recorder.snapshot()['health']).toMatchObject({ invocations: 2, records: 4, iteratorAgeMs: 1_000, maxIteratorAgeMs: 5_000 });
  });
});
