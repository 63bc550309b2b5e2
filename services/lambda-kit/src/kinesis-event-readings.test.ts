import { describe, expect, it } from 'vitest';
import { batchItemFailures, decodeKinesisEvent, kinesisSourcePosition } from './kinesis-event-readings';
import { kinesisEvent, kinesisRecord } from '@wildrydes/test-kit';

const NOW = Date.UTC(2026, 10, 22, 10, 5);
const line = (name: string, second: number) =>
  JSON.stringify({ Distance: 29.5, HealthPoints: 150, Latitude: 40.75, Longitude: -73.98, MagicPoints: 150, Name: name, StatusTime: `2026-11-22 10:00:${String(second).padStart(2, '0')}.000` });

describe('decodeKinesisEvent', () => {
  it('decodes single and packed records as UTF-8 and tags each reading with its record', () => {
    const event = kinesisEvent([`${line('Pégase', 1)}\n`, `${line('Shadowfax', 1)}\n${line('Shadowfax', 2)}\n`]);
    const decoded = decodeKinesisEvent(event, NOW);
    expect(decoded.readings.map((r) => [r.reading.name, r.sequenceNumber])).toEqual([['Pégase', '1000'], ['Shadowfax', '1001'], ['Shadowfax', '1001']]);
    expect(decoded.sequenceNumbers).toEqual(['1000', '1001']);
    expect(decoded.quarantined).toEqual([]);
  });

  it('quarantines bad records and bad lines with their position and reasons, keeping the good neighbours', () => {
    const event = kinesisEvent(['not json', `${line('Shadowfax', 3)}\n{"Name":"x"}`, new Uint8Array([0xff, 0xfe])]);
    const decoded = decodeKinesisEvent(event, NOW);
    expect(decoded.readings).toHaveLength(1);
    expect(decoded.quarantined.map((q) => [q.sourcePosition, q.rejections.map((r) => [r.code, r.line])])).toEqual([
      ['shardId-000000000000:1000', [['INVALID_JSON', 1]]],
      ['shardId-000000000000:1001', [['MISSING_FIELD', 2]]],
      ['shardId-000000000000:1002', [['INVALID_UTF8', 0]]],
    ]);
    expect(decoded.quarantined[0]?.receivedAt).toBe(Date.UTC(2026, 10, 22, 10, 0, 1));
  });

  it('gives a record the same position on every delivery', () => {
    const record = kinesisRecord('x', { shardId: 'shardId-000000000003', sequenceNumber: '42' });
    expect(kinesisSourcePosition(record)).toBe('shardId-000000000003:42');
  });

  it('reports each failed record once', () => {
    expect(batchItemFailures(['7', '3', '7'])).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }, { itemIdentifier: '3' }] });
    expect(batchItemFailures([])).toEqual({ batchItemFailures: [] });
  });
});
