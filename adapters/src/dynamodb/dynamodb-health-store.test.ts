import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { UnicornHealthState } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackoffEnvironment } from '../sdk/capped-backoff';
import { DynamoDbHealthStore } from './dynamodb-health-store';
import { DynamoDbInvalidItemError, DynamoDbReadError } from './dynamodb.errors';
import { gzipSync } from 'node:zlib';
import { fromShardItem, toShardItem } from './shard-last-seen.mapper';
import { toHealthItem } from './health-item.mapper';

const dynamodb = mockClient(DynamoDBDocumentClient);
const TABLE = 'UnicornHealth';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

const instant = (): BackoffEnvironment & { waits: number[] } => {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 };
};

const state = (name: string, overrides: Partial<UnicornHealthState> = {}): UnicornHealthState => ({
  name, lastReadingTime: T0, latitude: 40.749167, longitude: -73.985184, magicPoints: 150, healthPoints: 45,
  levels: { MagicPoints: 'ok', HealthPoints: 'critical' }, silent: false, ...overrides,
});
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('DynamoDbHealthStore', () => {
  let environment: ReturnType<typeof instant>;
  let store: DynamoDbHealthStore;

  beforeEach(() => {
    dynamodb.reset();
    environment = instant();
    store = new DynamoDbHealthStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
      environment, backoff: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000 }, concurrency: 1,
    });
  });

  describe('load', () => {
    it('reads with BatchGetItem in calls of at most 100 distinct keys', async () => {
      // Prepare
      const names = Array.from({ length: 250 }, (_, i) => `U${i}`);
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });

      // Act
      await store.load([...names, 'U0', 'U1']);

      // Assess
      const calls = dynamodb.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
      expect(calls).toEqual([
        { RequestItems: { [TABLE]: { Keys: names.slice(0, 100).map((Name) => ({ Name })) } } },
        { RequestItems: { [TABLE]: { Keys: names.slice(100, 200).map((Name) => ({ Name })) } } },
        { RequestItems: { [TABLE]: { Keys: names.slice(200).map((Name) => ({ Name })) } } },
      ]);
    });

    it('sends nothing for no names', async () => {
      // Act
      const loaded = await store.load([]);

      // Assess
      expect(loaded.size).toBe(0);
      expect(dynamodb).not.toHaveReceivedCommand(BatchGetCommand);
    });

    it('retries exactly the UnprocessedKeys and maps the items back to states with versions', async () => {
      // Prepare
      dynamodb.on(BatchGetCommand)
        .resolvesOnce({ Responses: { [TABLE]: [toHealthItem(state('A'), 4)] }, UnprocessedKeys: { [TABLE]: { Keys: [{ Name: 'C' }] } } })
        .resolves({ Responses: { [TABLE]: [toHealthItem(state('C', { silent: true }), 1)] }, UnprocessedKeys: {} });

      // Act
      const loaded = await store.load(['A', 'B', 'C']);

      // Assess
      expect(dynamodb).toHaveReceivedNthCommandWith(BatchGetCommand, 2, { RequestItems: { [TABLE]: { Keys: [{ Name: 'C' }] } } });
      expect(environment.waits).toEqual([50]);
      expect(loaded).toEqual(new Map([
        ['A', { state: state('A'), version: 4 }],
        ['C', { state: state('C', { silent: true }), version: 1 }],
      ]));
    });

    it('throws DynamoDbReadError when keys stay unprocessed after the retries', async () => {
      // Prepare
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [{ Name: 'B' }] } } });

      // Act
      const failure = await store.load(['A', 'B']).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(DynamoDbReadError);
      expect(failure).toMatchObject({ code: 'DYNAMODB_UNPROCESSED_KEYS', unprocessed: 1, attempted: 2 });
      expect(dynamodb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
    });

    it('refuses an item it cannot read back', async () => {
      // Prepare
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ ...toHealthItem(state('A'), 1), MagicLevel: 'sparkly' }] } });

      // Act + Assess
      await expect(store.load(['A'])).rejects.toBeInstanceOf(DynamoDbInvalidItemError);
    });
  });

  describe('applyTransitions', () => {
    it('creates a unicorn with attribute_not_exists and Version 1', async () => {
      // Prepare
      dynamodb.on(PutCommand).resolves({});

      // Act
      const outcome = await store.applyTransitions([{ state: state('Shadowfax'), expectedVersion: undefined }]);

      // Assess
      expect(outcome).toEqual({ conflicts: [] });
      expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 1);
      expect(dynamodb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
        TableName: TABLE,
        Item: {
          Name: 'Shadowfax', LastReadingTime: T0, StatusTime: '2026-01-01 12:00:00.250', Latitude: 40.749167, Longitude: -73.985184,
          MagicPoints: 150, HealthPoints: 45, MagicLevel: 'ok', HealthLevel: 'critical', Silent: false, Version: 1,
        },
        ConditionExpression: 'attribute_not_exists(#n)',
        ExpressionAttributeNames: { '#n': 'Name' },
      });
    });

    it('updates a unicorn only if its Version is still the expected one, writing Version + 1', async () => {
      // Prepare
      dynamodb.on(PutCommand).resolves({});

      // Act
      await store.applyTransitions([{ state: state('Shadowfax', { silent: true }), expectedVersion: 7 }]);

      // Assess
      expect(dynamodb).toHaveReceivedCommandWith(PutCommand, {
        TableName: TABLE,
        Item: expect.objectContaining({ Name: 'Shadowfax', Silent: true, Version: 8 }),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'Version' },
        ExpressionAttributeValues: { ':expected': 7 },
      });
    });

    it('returns lost races by name and still applies the other changes', async () => {
      // Prepare
      dynamodb.on(PutCommand).callsFake((input: { Item: { Name: string } }) => {
        if (input.Item.Name === 'B' || input.Item.Name === 'D') throw conditionFailed();
        return {};
      });

      // Act
      const outcome = await store.applyTransitions(['D', 'A', 'B', 'C'].map((name) => ({ state: state(name), expectedVersion: 1 })));

      // Assess
      expect(outcome).toEqual({ conflicts: ['B', 'D'] });
      expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 4);
    });

    it('throws any other error', async () => {
      // Prepare
      dynamodb.on(PutCommand).rejects(Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' }));

      // Act + Assess
      await expect(store.applyTransitions([{ state: state('A'), expectedVersion: undefined }])).rejects.toThrow('Item size has exceeded');
    });
  });

  describe('shard records', () => {
    const record = { shardId: 'shardId-000000000000', watermark: T0 + 60_000, savedAt: T0 + 61_000, lastSeen: new Map([['A', T0 + 60_000], ['B', T0 + 1_000]]) };

    it('saves with the versioned put under a key no unicorn can have, and reads it back', async () => {
      // Prepare
      dynamodb.on(PutCommand).resolves({});

      // Act
      const outcome = await store.saveShard(record, 3);

      // Assess
      const input = dynamodb.commandCalls(PutCommand)[0]!.args[0].input;
      expect(outcome).toBe('saved');
      expect(input).toMatchObject({
        TableName: TABLE, ConditionExpression: '#v = :expected', ExpressionAttributeValues: { ':expected': 3 },
        Item: { Name: '\u0001shard/shardId-000000000000', Kind: 'ShardLastSeen', ShardId: record.shardId, Watermark: T0 + 60_000, Unicorns: 2, Version: 4 },
      });
      expect(fromShardItem(TABLE, input.Item!)).toEqual({ ...record, version: 4 });
    });

    it('answers a lost race with a conflict', async () => {
      dynamodb.on(PutCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
      expect(await store.saveShard(record, undefined)).toBe('conflict');
    });

    it('lists shard records with a Scan filtered on Kind, following LastEvaluatedKey', async () => {
      // Prepare
      dynamodb.on(ScanCommand)
        .resolvesOnce({ Items: [toShardItem(record, 2)], LastEvaluatedKey: { Name: 'x' } })
        .resolves({ Items: [] });

      // Act
      const shards = await store.listShards();

      // Assess
      const filter = { TableName: TABLE, FilterExpression: '#k = :k', ExpressionAttributeNames: { '#k': 'Kind' }, ExpressionAttributeValues: { ':k': 'ShardLastSeen' } };
      expect(dynamodb.commandCalls(ScanCommand).map((call) => call.args[0].input)).toEqual([filter, { ...filter, ExclusiveStartKey: { Name: 'x' } }]);
      expect(shards).toEqual([{ ...record, version: 2 }]);
    });

    it('refuses a malformed record, naming the shard', () => {
      const item = { ...toShardItem(record, 1), LastSeen: gzipSync(Buffer.from('no-tab-here')) };
      expect(() => fromShardItem(TABLE, item)).toThrow(/shard record shardId-000000000000 has a malformed line/);
    });

    it('refuses an unstored unicorn it cannot read back: a missing number, or a name the record does not know', () => {
      const at = { latitude: 1, longitude: 2, magicPoints: 3, healthPoints: 4 };
      const item = toShardItem({ ...record, unstored: new Map([['A', at]]) }, 1);
      expect(fromShardItem(TABLE, item).unstored).toEqual(new Map([['A', at]]));
      for (const line of ['A\t1\t2\t3', 'A\t1\t2\tthree\t4', 'Z\t1\t2\t3\t4']) {
        const bad = { ...item, Unstored: gzipSync(Buffer.from(line)) };
        expect(() => fromShardItem(TABLE, bad)).toThrow(/shard record shardId-000000000000 has a malformed unstored line/);
      }
      expect(() => fromShardItem(TABLE, { ...item, Unstored: 'A' })).toThrow(/non-binary Unstored/);
    });
  });
});
