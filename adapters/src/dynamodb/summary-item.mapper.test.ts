import { FleetSimulation, partialsFromReadings, unicornName, type MinutePartial, type ProducerFormat, type Reading } from '@wildrydes/domain';
import { describe, expect, it } from 'vitest';
import { dynamoDbItemSize } from './dynamodb-item-size';
import { DynamoDbInvalidItemError } from './dynamodb.errors';
import { samePartial } from '@wildrydes/domain';
import { fromSummaryItem, toSummaryItem } from './summary-item.mapper';

const MINUTE = Date.UTC(2026, 0, 1, 12, 0, 0);
const ONE_WRU_BYTES = 1024;

/** A full minute of one unicorn at one reading a second, as the simulated producer sends it. */
function fullMinute(format: ProducerFormat, unicorn = 0): MinutePartial {
  const fleet = new FleetSimulation({ seed: 7, unicorns: unicorn + 1, startTime: MINUTE, format });
  const name = unicornName(unicorn);
  const readings: Reading[] = [];
  for (let s = 0; s < 60; s++) {
    for (const record of fleet.tick()) if (record.reading?.name === name) readings.push(record.reading);
  }
  const partials = [...partialsFromReadings(readings).values()];
  expect(partials).toHaveLength(1);
  return partials[0]!;
}

describe('summary item', () => {
  it.each(['v1', 'v2'] as const)('round-trips a full %s minute bit for bit', (format) => {
    // Prepare
    const partial = fullMinute(format);

    // Act
    const stored = fromSummaryItem('UnicornSensorData', toSummaryItem(partial, 3));

    // Assess
    expect(stored.partial).toEqual(partial);
    expect(stored.version).toBe(3);
    expect(stored.emitted).toBe(false);
    expect(stored.summary.Readings).toBe(60);
  });

  it('writes the emitted mark into the item when asked, and reads it back', () => {
    // Prepare
    const partial = fullMinute('v2');

    // Act
    const item = toSummaryItem(partial, 4, { emitted: true });

    // Assess
    expect(item.EmittedVersion).toBe(4);
    expect(fromSummaryItem('UnicornSensorData', item)).toMatchObject({ version: 4, emitted: true });
    expect(toSummaryItem(partial, 4)).not.toHaveProperty('EmittedVersion');
  });

  it.each([
    ['v2 (decimal distances), a workshop name', 'v2', 0],
    ['v1 (integer distances), a workshop name', 'v1', 0],
    ['v2, a numbered name (Unicorn-000200)', 'v2', 199],
  ] as const)('keeps a 60-reading minute under the 1 KB of one write unit: %s', (_, format, name) => {
    // Prepare
    const partial = fullMinute(format, name);

    // Act
    const size = dynamoDbItemSize(toSummaryItem(partial, 12, { emitted: true }));

    // Assess: ~855 bytes with the emitted mark, of which 600 are the two binary reading lists.
    expect(size).toBeGreaterThan(700);
    expect(size).toBeLessThan(ONE_WRU_BYTES);
  });

  it('needs the binary encoding: a List of Numbers would push the same minute over 1 KB (2 WRU a write)', () => {
    // Prepare
    const partial = fullMinute('v2');
    const { ReadingOffsets: _o, ReadingDistances: _d, ...rest } = toSummaryItem(partial, 12);

    // Act
    const asLists = dynamoDbItemSize({ ...rest, ReadingOffsets: [...partial.offsets], ReadingDistances: [...partial.distances] });

    // Assess
    expect(asLists).toBeGreaterThan(ONE_WRU_BYTES);
  });

  it('reads binary attributes that sit at an odd offset of a shared buffer', () => {
    // Prepare
    const item = toSummaryItem(fullMinute('v2'), 1);
    const shifted = (bytes: Uint8Array): Uint8Array => {
      const buffer = new Uint8Array(bytes.byteLength + 3);
      buffer.set(bytes, 3);
      return buffer.subarray(3);
    };

    // Act
    const stored = fromSummaryItem('UnicornSensorData', { ...item, ReadingOffsets: shifted(item.ReadingOffsets), ReadingDistances: shifted(item.ReadingDistances) });

    // Assess
    expect(samePartial(stored.partial, fromSummaryItem('UnicornSensorData', item).partial)).toBe(true);
  });

  it.each([
    ['without the reading lists (written by something else)', { ReadingOffsets: undefined }],
    ['with reading lists of different lengths', { ReadingDistances: new Uint8Array(8) }],
    ['without a Version', { Version: undefined }],
    ['with an unreadable WindowStart', { WindowStart: 'noon' }],
  ])('refuses an item %s', (_, change) => {
    // Prepare
    const item = { ...toSummaryItem(fullMinute('v2'), 1), ...change };

    // Act + Assess
    expect(() => fromSummaryItem('UnicornSensorData', item)).toThrow(DynamoDbInvalidItemError);
  });
});

describe('dynamoDbItemSize', () => {
  it.each([
    [{ Name: 'Shadowfax' }, 4 + 9],
    [{ N: 12345 }, 1 + 3 + 1],
    [{ N: 0.001 }, 1 + 1 + 1],
    [{ B: new Uint8Array(10) }, 1 + 10],
    [{ Silent: false }, 6 + 1],
    [{ L: [1, 'ab'] }, 1 + 3 + (1 + 2) + (1 + 2)],
    [{ Name: 'Ünïcorn' }, 4 + 9],
  ])('sizes %j as %d bytes', (item, expected) => {
    expect(dynamoDbItemSize(item)).toBe(expected);
  });
});
