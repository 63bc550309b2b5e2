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
    const model: CostModel = { name: 'flat', price: (s, run) => (seen.push([s, run]), { perMillionReadings: 1.25, byKind: { lambda: 0.25, dynamodb: 1 } }) };

    // Act
    const rows = costRows(snapshot, { readings: 100_000, records: 100_000, seconds: 60, shards: 2 }, [model]);

    // Assess
    expect(rows.slice(-3)).toEqual([
      { metric: 'cost (flat): dynamodb', value: 1, unit: 'USD per million readings' },
      { metric: 'cost (flat): lambda', value: 0.25, unit: 'USD per million readings' },
      { metric: 'cost (flat)', value: 1.25, unit: 'USD per million readings' },
    ]);
    expect(seen).toEqual([[snapshot, { readings: 100_000, records: 100_000, seconds: 60, shards: 2 }]]);
  });

  it('prices the workshop\'s architecture for the same fleet next to the run, and the stack\'s own DynamoDB units by their price', () => {
    // Act
    const rows = costRows(snapshot, { unicorns: 1_000, readings: 100_000, records: 100_000, seconds: 60, shards: 2 });

    // Assess: 1,250 WRU and 420 RRU at $0.625 and $0.125 per million, per million readings.
    const dynamodb = rows.find((row) => row.metric === 'cost (us-east-1, provisioned shards): dynamodb');
    expect(dynamodb?.value).toBeCloseTo(((1_250 * 0.625 + 420 * 0.125) / 1e6) * 10, 9);
    const workshop = rows.at(-1);
    expect(workshop?.metric).toBe('the workshop\'s architecture for this fleet, same prices');
    expect(workshop?.value).toBeGreaterThan(0.1);
  });

  it('refuses a run without readings', () => {
    expect(() => costRows(snapshot, { readings: 0, records: 0, seconds: 60, shards: 2 })).toThrow(RangeError);
  });
});
