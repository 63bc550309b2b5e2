import { describe, expect, it } from 'vitest';
import { asMeterSnapshot, costRows, type CostModel, type MeterSnapshot } from './cost-section';

/** The meter's totals as the stack would put them in status.json (fields not read here included). */
const snapshot: MeterSnapshot = {
  services: {
    aggregation: { dynamodb: { UnicornSensorData: { writeRequestUnits: 1_200, readRequestUnits: 300 } } },
    health: { dynamodb: { UnicornHealth: { writeRequestUnits: 50, readRequestUnits: 20 }, UnicornSensorData: { writeRequestUnits: 0, readRequestUnits: 100 } } },
    archival: {},
  },
};

describe('asMeterSnapshot', () => {
  it('accepts the meter totals, with the fields it does not read', () => {
    const fromStatus = { services: { health: { dynamodb: { T: { writeRequestUnits: 1, readRequestUnits: 2, itemsWritten: 1 } }, kinesis: {} } }, unmetered: { calls: 0, reasons: [] } };

    expect(asMeterSnapshot(fromStatus)).toBe(fromStatus);
  });

  it.each([
    ['absent', undefined],
    ['not an object', 'meter'],
    ['without services', {}],
    ['with a table lacking units', { services: { health: { dynamodb: { T: { writeRequestUnits: 1 } } } } }],
  ])('refuses a meter field that is %s', (_, value) => {
    expect(asMeterSnapshot(value)).toBeUndefined();
  });
});

describe('costRows', () => {
  it('gives WRU and RRU per 1,000 readings per table, summed over services, and in total', () => {
    // Act
    const rows = costRows(snapshot, { readings: 100_000, records: 100_000, seconds: 60, shards: 2 }, []);

    // Assess
    expect(rows).toEqual([
      { metric: 'DynamoDB UnicornHealth WRU', value: 0.5, unit: 'per 1,000 readings' },
      { metric: 'DynamoDB UnicornHealth RRU', value: 0.2, unit: 'per 1,000 readings' },
      { metric: 'DynamoDB UnicornSensorData WRU', value: 12, unit: 'per 1,000 readings' },
      { metric: 'DynamoDB UnicornSensorData RRU', value: 4, unit: 'per 1,000 readings' },
      { metric: 'DynamoDB WRU, all tables', value: 12.5, unit: 'per 1,000 readings' },
      { metric: 'DynamoDB RRU, all tables', value: 4.2, unit: 'per 1,000 readings' },
    ]);
  });

  it("adds each cost model's dollars per million readings, handing it the run", () => {
    // Prepare
    const seen: unknown[] = [];
    const model: CostModel = { name: 'flat', perMillionReadings: (s, run) => (seen.push([s, run]), 1.25) };

    // Act
    const rows = costRows(snapshot, { readings: 100_000, records: 100_000, seconds: 60, shards: 2 }, [model]);

    // Assess
    expect(rows.at(-1)).toEqual({ metric: 'cost (flat)', value: 1.25, unit: 'USD per million readings' });
    expect(seen).toEqual([[snapshot, { readings: 100_000, records: 100_000, seconds: 60, shards: 2 }]]);
  });

  it('refuses a run without readings', () => {
    expect(() => costRows(snapshot, { readings: 0, records: 0, seconds: 60, shards: 2 })).toThrow(RangeError);
  });
});
