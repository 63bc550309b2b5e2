import { describe, expect, it } from 'vitest';
import type { MinuteSummary } from '@wildrydes/domain';
import { InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { KinesisSummaryPublisher, SummaryPublishError } from './kinesis-summary-publisher';

const summary = (name: string): MinuteSummary => ({
  Name: name, StatusTime: '2026-11-22 10:01:00.000', WindowStart: '2026-11-22 10:00:00.000', Distance: 1798.123,
  MinMagicPoints: 149, MaxMagicPoints: 152, MinHealthPoints: 148, MaxHealthPoints: 150, Readings: 60,
});

describe('KinesisSummaryPublisher', () => {
  it('puts one workshop-shaped JSON line per summary, partitioned by unicorn', async () => {
    const stream = new InMemoryTelemetryStream();
    await new KinesisSummaryPublisher(stream).publish([summary('Shadowfax'), summary('Rocinante')]);
    const records = stream.records();
    expect(records.map((r) => r.partitionKey)).toEqual(['Shadowfax', 'Rocinante']);
    const text = new TextDecoder().decode(records[0]!.data);
    expect(text.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['Name', 'StatusTime', 'Distance', 'MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints', 'WindowStart', 'Readings']);
  });

  it('sends nothing for no summaries, and fails loudly when the stream refuses some', async () => {
    const stream = new InMemoryTelemetryStream({ failureMode: (record) => (record.partitionKey === 'Rocinante' ? { errorCode: 'InvalidArgumentException' } : undefined) });
    await new KinesisSummaryPublisher(new InMemoryTelemetryStream()).publish([]);
    await expect(new KinesisSummaryPublisher(stream).publish([summary('Shadowfax'), summary('Rocinante')])).rejects.toThrow(SummaryPublishError);
  });
});
