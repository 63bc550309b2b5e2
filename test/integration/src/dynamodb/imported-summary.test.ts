import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { partialsFromReadings, type Reading } from '@wildrydes/domain';
import { DynamoDbBatchWriter } from '@wildrydes/adapters/dynamodb';
import { useLocalDynamoDb } from '../support/dynamodb-local.test-support';
import { DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';

const MINUTE = Date.UTC(2016, 1, 12, 0, 0, 0);
const reading = (second: number): Reading => ({
  name: 'Shadowfax', time: MINUTE + second * 1000, latitude: 40.75, longitude: -73.98, distance: 30, magicPoints: 150, healthPoints: 150,
});

describe('an imported minute summary meeting live readings', () => {
  const local = useLocalDynamoDb();

  it('is replaced by the readings, which are then merged exactly as usual', async () => {
    // Prepare: the workshop file's shape, written by the ingestion service (no reading list).
    const table = await local.createTable('UnicornSensorData');
    const client = local.probedClient();
    await new DynamoDbBatchWriter(client.documentClient, { partitionKey: 'Name', sortKey: 'StatusTime' }).putAll(table, [{
      Name: 'Shadowfax', StatusTime: '2016-02-12 00:01:00.000', Distance: 1317, MinMagicPoints: 128, MaxMagicPoints: 158,
      MinHealthPoints: 141, MaxHealthPoints: 176, ImportedFrom: 'uploads/shadowfax-2016-02-12.json',
    }]);
    const store = new DynamoDbSummaryStore(client.documentClient, { tableName: table });

    // Act
    const first = await store.merge([...partialsFromReadings([reading(1), reading(2)]).values()]);
    const replay = await store.merge([...partialsFromReadings([reading(2), reading(3)]).values()]);

    // Assess
    expect(first.map((m) => m.changed)).toEqual([true]);
    expect(replay[0]?.partial.offsets).toEqual([1000, 2000, 3000]);
    const { Item } = await client.documentClient.send(new GetCommand({ TableName: table, Key: { Name: 'Shadowfax', StatusTime: '2016-02-12 00:01:00.000' } }));
    expect(Item).toMatchObject({ Readings: 3, Distance: 90, Version: 2 });
    expect(Item?.['ImportedFrom']).toBeUndefined();
    expect(await store.findPending([{ name: 'Shadowfax', fromWindowStart: MINUTE, beforeWindowStart: MINUTE + 60_000 }])).toHaveLength(1);
    client.destroy();
  });
});
