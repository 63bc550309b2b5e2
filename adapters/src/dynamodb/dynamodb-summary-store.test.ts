import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { partialsFromReadings, WINDOW_MS, type MinutePartial, type Reading } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackoffEnvironment } from '../sdk/capped-backoff';
import { DynamoDbSummaryStore } from './dynamodb-summary-store';
import { DynamoDbMergeConflictError } from './dynamodb.errors';
import { toSummaryItem } from './summary-item.mapper';

const dynamodb = mockClient(DynamoDBDocumentClient);
const TABLE = 'UnicornSensorData';
const MINUTE = Date.UTC(2026, 0, 1, 12, 0, 0);

const instant = (): BackoffEnvironment & { waits: number[] } => {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 };
};

const reading = (name: string, secondOfMinute: number, windowStart = MINUTE): Reading => ({
  name, time: windowStart + secondOfMinute * 1000 + 125, latitude: 40.7 + secondOfMinute / 1000, longitude: -73.9,
  distance: 29.5 + secondOfMinute, magicPoints: 150 + secondOfMinute, healthPoints: 140 - secondOfMinute,
});
const partialOf = (name: string, seconds: readonly number[], windowStart = MINUTE): MinutePartial =>
  [...partialsFromReadings(seconds.map((s) => reading(name, s, windowStart))).values()][0]!;
const float64LittleEndian = (...values: number[]): Uint8Array => {
  const bytes = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(bytes.buffer).setFloat64(i * 8, v, true));
  return bytes;
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('DynamoDbSummaryStore', () => {
  let environment: ReturnType<typeof instant>;
  let store: DynamoDbSummaryStore;

  beforeEach(() => {
    dynamodb.reset();
    environment = instant();
    store = new DynamoDbSummaryStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
      environment, backoff: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000 }, maxConflictRetries: 2, concurrency: 1,
    });
    dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    dynamodb.on(PutCommand).resolves({});
  });

  it('reads the windows of the batch by (Name, StatusTime = window end), once per window', async () => {
    // Act
    await store.merge([partialOf('Shadowfax', [1, 2]), partialOf('Shadowfax', [3]), partialOf('Rocinante', [5], MINUTE + WINDOW_MS)]);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(dynamodb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000' },
            { Name: 'Rocinante', StatusTime: '2026-01-01 12:02:00.000' },
          ],
        },
      },
    });
  });

  it('reads at most 100 windows a call and retries exactly the UnprocessedKeys', async () => {
    // Prepare
    const partials = Array.from({ length: 150 }, (_, i) => partialOf(`U${i}`, [1]));
    const keyOf = (name: string) => ({ Name: name, StatusTime: '2026-01-01 12:01:00.000' });
    dynamodb.on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [keyOf('U7'), keyOf('U42')] } } })
      .resolves({ Responses: { [TABLE]: [] } });

    // Act
    await store.merge(partials);

    // Assess
    const calls = dynamodb.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { RequestItems: { [TABLE]: { Keys: partials.slice(0, 100).map((p) => keyOf(p.name)) } } },
      { RequestItems: { [TABLE]: { Keys: [keyOf('U7'), keyOf('U42')] } } },
      { RequestItems: { [TABLE]: { Keys: partials.slice(100).map((p) => keyOf(p.name)) } } },
    ]);
    expect(environment.waits).toEqual([50]);
    expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 150);
  });

  it('creates a new window with attribute_not_exists(#n) and Version 1', async () => {
    // Prepare
    const partial = partialOf('Shadowfax', [0, 1, 59]);

    // Act
    const result = await store.merge([partial]);

    // Assess
    expect(result).toEqual([{ partial, changed: true, version: 1 }]);
    expect(dynamodb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000', WindowStart: '2026-01-01 12:00:00.000',
        Distance: 29.5 + 30.5 + 88.5, MinMagicPoints: 150, MaxMagicPoints: 209, MinHealthPoints: 81, MaxHealthPoints: 140, Readings: 3,
        // uint16 little-endian offsets 125, 1125, 59125 ms; float64 little-endian distances.
        ReadingOffsets: new Uint8Array([0x7d, 0x00, 0x65, 0x04, 0xf5, 0xe6]),
        ReadingDistances: float64LittleEndian(29.5, 30.5, 88.5),
        LastLatitude: 40.759, LastLongitude: -73.9, Version: 1,
      },
      ConditionExpression: 'attribute_not_exists(#n)',
      ExpressionAttributeNames: { '#n': 'Name' },
    });
  });

  it('updates a stored window with #v = :expected and Version + 1, holding the union of readings', async () => {
    // Prepare
    dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [toSummaryItem(partialOf('Shadowfax', [0, 1]), 4)] } });

    // Act
    const result = await store.merge([partialOf('Shadowfax', [1, 2])]);

    // Assess
    const union = partialOf('Shadowfax', [0, 1, 2]);
    expect(result).toEqual([{ partial: union, changed: true, version: 5 }]);
    expect(dynamodb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: toSummaryItem(union, 5),
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'Version' },
      ExpressionAttributeValues: { ':expected': 4 },
    });
  });

  it('writes nothing for a replay and returns the stored window with changed=false', async () => {
    // Prepare
    const stored = partialOf('Shadowfax', [0, 1, 2]);
    dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [toSummaryItem(stored, 2)] } });

    // Act
    const result = await store.merge([partialOf('Shadowfax', [2, 0])]);

    // Assess
    expect(result).toEqual([{ partial: stored, changed: false, version: 2 }]);
    expect(dynamodb).not.toHaveReceivedCommand(PutCommand);
  });

  describe('with markEmitted', () => {
    const markOf = (name: string, version: number) => ({
      TableName: TABLE, Key: { Name: name, StatusTime: '2026-01-01 12:01:00.000' },
      UpdateExpression: 'SET #e = :v', ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#e': 'EmittedVersion', '#v': 'Version' }, ExpressionAttributeValues: { ':v': version },
    });

    it('writes a new window with EmittedVersion = Version in the same conditional put', async () => {
      // Prepare
      const partial = partialOf('Shadowfax', [0, 1, 59]);

      // Act
      const result = await store.merge([partial], { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial, changed: true, version: 1 }]);
      expect(dynamodb.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([{
        TableName: TABLE, Item: { ...toSummaryItem(partial, 1), EmittedVersion: 1 },
        ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'Name' },
      }]);
      expect(dynamodb).not.toHaveReceivedCommand(UpdateCommand);
    });

    it('writes a changed window at Version + 1 with EmittedVersion = Version + 1, conditional on the version read', async () => {
      // Prepare
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [toSummaryItem(partialOf('Shadowfax', [0, 1]), 4, { emitted: true })] } });

      // Act
      const result = await store.merge([partialOf('Shadowfax', [2])], { markEmitted: true });

      // Assess
      const union = partialOf('Shadowfax', [0, 1, 2]);
      expect(result).toEqual([{ partial: union, changed: true, version: 5 }]);
      expect(dynamodb).toHaveReceivedCommandWith(PutCommand, {
        TableName: TABLE, Item: toSummaryItem(union, 5, { emitted: true }),
        ConditionExpression: '#v = :expected', ExpressionAttributeNames: { '#v': 'Version' }, ExpressionAttributeValues: { ':expected': 4 },
      });
    });

    it('marks an unchanged window that is not emitted yet with one conditional UpdateItem, and puts nothing', async () => {
      // Prepare
      const stored = partialOf('Shadowfax', [0, 1, 2]);
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ ...toSummaryItem(stored, 3), EmittedVersion: 2 }] } });
      dynamodb.on(UpdateCommand).resolves({});

      // Act
      const result = await store.merge([partialOf('Shadowfax', [1])], { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: stored, changed: false, version: 3 }]);
      expect(dynamodb.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([markOf('Shadowfax', 3)]);
      expect(dynamodb).not.toHaveReceivedCommand(PutCommand);
    });

    it('sends nothing for an unchanged window that is emitted already', async () => {
      // Prepare
      const stored = partialOf('Shadowfax', [0, 1, 2]);
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [toSummaryItem(stored, 3, { emitted: true })] } });

      // Act
      const result = await store.merge([partialOf('Shadowfax', [0, 2])], { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: stored, changed: false, version: 3 }]);
      expect(dynamodb).not.toHaveReceivedCommand(PutCommand);
      expect(dynamodb).not.toHaveReceivedCommand(UpdateCommand);
    });

    it('when the mark loses to a newer version, re-reads and marks that one, returning what it marked', async () => {
      // Prepare
      const stored = partialOf('Shadowfax', [0, 1]);
      const newer = partialOf('Shadowfax', [0, 1, 7]);
      dynamodb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [toSummaryItem(stored, 1)] } });
      dynamodb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
      dynamodb.on(GetCommand).resolves({ Item: toSummaryItem(newer, 2) });

      // Act
      const result = await store.merge([partialOf('Shadowfax', [1])], { markEmitted: true });

      // Assess
      expect(result).toEqual([{ partial: newer, changed: false, version: 2 }]);
      expect(dynamodb.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([markOf('Shadowfax', 1), markOf('Shadowfax', 2)]);
    });

    it('reads EmittedVersion back: a window is emitted only at the version marked', async () => {
      // Prepare
      dynamodb.on(GetCommand)
        .resolvesOnce({ Item: toSummaryItem(partialOf('Shadowfax', [1]), 2, { emitted: true }) })
        .resolves({ Item: { ...toSummaryItem(partialOf('Shadowfax', [1]), 3), EmittedVersion: 2 } });

      // Act + Assess
      expect(await store.get('Shadowfax', MINUTE)).toMatchObject({ version: 2, emitted: true });
      expect(await store.get('Shadowfax', MINUTE)).toMatchObject({ version: 3, emitted: false });
    });
  });

  it('on a lost race re-reads the window strongly consistently and writes the merge against the new version', async () => {
    // Prepare
    const theirs = partialOf('Shadowfax', [0, 5]);
    dynamodb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    dynamodb.on(GetCommand).resolves({ Item: toSummaryItem(theirs, 1) });

    // Act
    const result = await store.merge([partialOf('Shadowfax', [0, 1])]);

    // Assess
    expect(dynamodb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE, Key: { Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000' }, ConsistentRead: true,
    });
    const union = partialOf('Shadowfax', [0, 1, 5]);
    expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 2);
    expect(dynamodb).toHaveReceivedNthCommandWith(PutCommand, 2, {
      TableName: TABLE,
      Item: toSummaryItem(union, 2),
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'Version' },
      ExpressionAttributeValues: { ':expected': 1 },
    });
    expect(result).toEqual([{ partial: union, changed: true, version: 2 }]);
    expect(environment.waits).toEqual([50]);
  });

  it('returns changed=false without writing when the winner of the race already holds every reading', async () => {
    // Prepare
    const theirs = partialOf('Shadowfax', [0, 1, 2]);
    dynamodb.on(PutCommand).rejects(conditionFailed());
    dynamodb.on(GetCommand).resolves({ Item: toSummaryItem(theirs, 1) });

    // Act
    const result = await store.merge([partialOf('Shadowfax', [1])]);

    // Assess
    expect(result).toEqual([{ partial: theirs, changed: false, version: 1 }]);
    expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('throws DynamoDbMergeConflictError after losing more races than the budget', async () => {
    // Prepare
    let version = 0;
    dynamodb.on(PutCommand).rejects(conditionFailed());
    dynamodb.on(GetCommand).callsFake(() => ({ Item: toSummaryItem(partialOf('Shadowfax', [++version + 10]), version) }));

    // Act
    const failure = await store.merge([partialOf('Shadowfax', [1])]).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(DynamoDbMergeConflictError);
    expect(failure).toMatchObject({ code: 'DYNAMODB_MERGE_CONFLICT', unicorn: 'Shadowfax', statusTime: '2026-01-01 12:01:00.000', attempts: 3 });
    expect(dynamodb).toHaveReceivedCommandTimes(PutCommand, 3);
  });

  it('lets an error other than a failed condition through', async () => {
    // Prepare
    dynamodb.on(PutCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));

    // Act + Assess
    await expect(store.merge([partialOf('Shadowfax', [1])])).rejects.toThrow('Throughput exceeds');
    expect(dynamodb).not.toHaveReceivedCommand(GetCommand);
  });

  it('lists a unicorn\'s minutes with a paged, consistent Query on Name', async () => {
    // Prepare
    const first = partialOf('Shadowfax', [1]);
    const second = partialOf('Shadowfax', [2], MINUTE + WINDOW_MS);
    dynamodb.on(QueryCommand)
      .resolvesOnce({ Items: [toSummaryItem(first, 1)], LastEvaluatedKey: { Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000' } })
      .resolves({ Items: [toSummaryItem(second, 3)] });

    // Act
    const listed = await store.listByName('Shadowfax');

    // Assess
    const query = {
      TableName: TABLE, KeyConditionExpression: '#n = :name', ExpressionAttributeNames: { '#n': 'Name' },
      ExpressionAttributeValues: { ':name': 'Shadowfax' }, ConsistentRead: true,
    };
    expect(dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      query, { ...query, ExclusiveStartKey: { Name: 'Shadowfax', StatusTime: '2026-01-01 12:01:00.000' } },
    ]);
    expect(listed.map((s) => [s.partial, s.version, s.summary.StatusTime])).toEqual([
      [first, 1, '2026-01-01 12:01:00.000'], [second, 3, '2026-01-01 12:02:00.000'],
    ]);
  });
  it('asks for pending minutes with one bounded Query per unicorn, filtering on the emitted version', async () => {
    // Prepare
    dynamodb.on(QueryCommand).resolves({ Items: [toSummaryItem(partialOf('Shadowfax', [1, 2]), 3)] });

    // Act
    const pending = await store.findPending([{ name: 'Shadowfax', fromWindowStart: MINUTE - 10 * WINDOW_MS, beforeWindowStart: MINUTE + WINDOW_MS }]);

    // Assess
    expect(pending.map((p) => [p.partial.name, p.version])).toEqual([['Shadowfax', 3]]);
    expect(dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: '#n = :name AND #t BETWEEN :from AND :to',
      FilterExpression: 'attribute_exists(#r) AND (attribute_not_exists(#e) OR #e <> #v)',
      ExpressionAttributeNames: { '#n': 'Name', '#t': 'StatusTime', '#e': 'EmittedVersion', '#v': 'Version', '#r': 'ReadingOffsets' },
      ExpressionAttributeValues: { ':name': 'Shadowfax', ':from': '2026-01-01 11:51:00.000', ':to': '2026-01-01 12:01:00.000' },
    });
  });

  it('marks exactly the emitted version, and ignores a minute that changed since', async () => {
    // Prepare
    dynamodb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    // Act
    await store.markEmitted([{ partial: partialOf('Shadowfax', [1]), version: 2 }, { partial: partialOf('Rocinante', [1]), version: 5 }]);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(dynamodb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE, Key: { Name: 'Rocinante', StatusTime: '2026-01-01 12:01:00.000' },
      UpdateExpression: 'SET #e = :v', ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#e': 'EmittedVersion', '#v': 'Version' }, ExpressionAttributeValues: { ':v': 5 },
    });
  });
});
