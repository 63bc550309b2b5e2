import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { UnicornHealthState } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbHealthReader, DynamoDbMinuteSummaryReader } from './dynamodb-fleet-readers';
import { DynamoDbInvalidItemError } from './dynamodb.errors';
import { toHealthItem } from './health-item.mapper';
import { toShardItem } from './shard-last-seen.mapper';

const dynamodb = mockClient(DynamoDBDocumentClient);
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const state = (name: string, overrides: Partial<UnicornHealthState> = {}): UnicornHealthState => ({
  name, lastReadingTime: T0, latitude: 40.75, longitude: -73.98, magicPoints: 150, healthPoints: 150,
  levels: { MagicPoints: 'ok', HealthPoints: 'ok' }, silent: false, ...overrides,
});
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

describe('DynamoDbHealthReader', () => {
  beforeEach(() => dynamodb.reset());

  it('scans every page of the table and joins each unicorn with its newest last-seen time', async () => {
    // Prepare: two pages; the shard record says Pegasus was seen after its last transition.
    dynamodb.on(ScanCommand)
      .resolvesOnce({ Items: [toHealthItem(state('Pegasus'), 3)], LastEvaluatedKey: { Name: 'Pegasus' } })
      .resolvesOnce({ Items: [toShardItem({ shardId: 's-0', watermark: T0 + 9000, savedAt: T0, lastSeen: new Map([['Pegasus', T0 + 9000]]) }, 1), toHealthItem(state('Epona'), 1)] });
    // Act
    const views = await new DynamoDbHealthReader(client(), { tableName: 'Health' }).readAll();
    // Assess
    expect(views.map((v) => [v.state.name, v.lastSeen])).toEqual([['Epona', T0], ['Pegasus', T0 + 9000]]);
    expect(dynamodb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(dynamodb).toHaveReceivedNthCommandWith(ScanCommand, 2, { TableName: 'Health', ExclusiveStartKey: { Name: 'Pegasus' } });
  });

  it('refuses an item it cannot read, naming the table', async () => {
    dynamodb.on(ScanCommand).resolves({ Items: [{ Name: 'Broken', LastReadingTime: 'soon' }] });
    await expect(new DynamoDbHealthReader(client()).readAll()).rejects.toThrow(DynamoDbInvalidItemError);
  });
});

describe('DynamoDbMinuteSummaryReader', () => {
  beforeEach(() => dynamodb.reset());

  it('queries the key range of window ends, projecting the summary attributes only', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [{ Name: 'Pegasus', StatusTime: '2026-01-01 12:01:00.000', WindowStart: '2026-01-01 12:00:00.000', Distance: 1.5, MinMagicPoints: 1, MaxMagicPoints: 2, MinHealthPoints: 3, MaxHealthPoints: 4, Readings: 2 }] });

    const minutes = await new DynamoDbMinuteSummaryReader(client()).readMinutes('Pegasus', T0, T0 + 60 * 60_000);

    expect(minutes).toEqual([{ Name: 'Pegasus', StatusTime: '2026-01-01 12:01:00.000', WindowStart: '2026-01-01 12:00:00.000', Distance: 1.5, MinMagicPoints: 1, MaxMagicPoints: 2, MinHealthPoints: 3, MaxHealthPoints: 4, Readings: 2 }]);
    expect(dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'UnicornSensorData',
      KeyConditionExpression: '#n = :n AND #t BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':n': 'Pegasus', ':from': '2026-01-01 12:01:00.000', ':to': '2026-01-01 13:00:59.999' },
    });
  });

  it('reads an imported workshop summary (no reading count) as 0 readings, and sends nothing for an empty range', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [{ Name: 'Pegasus', StatusTime: '2026-01-01 12:01:00.000', WindowStart: '2026-01-01 12:00:00.000', Distance: 1, MinMagicPoints: 1, MaxMagicPoints: 2, MinHealthPoints: 3, MaxHealthPoints: 4 }] });
    const reader = new DynamoDbMinuteSummaryReader(client());
    expect((await reader.readMinutes('Pegasus', T0, T0 + 60_000))[0]!.Readings).toBe(0);
    expect(await reader.readMinutes('Pegasus', T0, T0)).toEqual([]);
    expect(dynamodb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });
});
