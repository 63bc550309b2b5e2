import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackoffEnvironment } from '../sdk/capped-backoff';
import { DynamoDbBatchWriter } from './dynamodb-batch-writer';
import { DynamoDbInvalidItemError, DynamoDbWriteError } from './dynamodb.errors';

const dynamodb = mockClient(DynamoDBDocumentClient);
const TABLE = 'UnicornSensorData';
const KEY = { partitionKey: 'Name', sortKey: 'StatusTime' };

/** Sleeps return at once and are recorded; jitter is fixed. */
const instant = (): BackoffEnvironment & { waits: number[] } => {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 };
};

const item = (i: number, extra: Record<string, unknown> = {}) => ({
  Name: `Unicorn-${i % 7}`, StatusTime: `2026-01-01 12:00:${String(i % 60).padStart(2, '0')}.000`, Distance: i, ...extra,
});
const puts = (items: readonly Record<string, unknown>[]) => items.map((Item) => ({ PutRequest: { Item } }));

describe('DynamoDbBatchWriter', () => {
  let environment: ReturnType<typeof instant>;
  let writer: DynamoDbBatchWriter;

  beforeEach(() => {
    dynamodb.reset();
    environment = instant();
    writer = new DynamoDbBatchWriter(DynamoDBDocumentClient.from(new DynamoDBClient({})), KEY, {
      environment, backoff: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 }, concurrency: 1,
    });
    dynamodb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  });

  it('writes in BatchWriteItem calls of at most 25 puts, in order', async () => {
    // Prepare
    const items = Array.from({ length: 60 }, (_, i) => item(i));

    // Act
    const outcome = await writer.putAll(TABLE, items);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
    expect(dynamodb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input)).toEqual([
      { RequestItems: { [TABLE]: puts(items.slice(0, 25)) } },
      { RequestItems: { [TABLE]: puts(items.slice(25, 50)) } },
      { RequestItems: { [TABLE]: puts(items.slice(50, 60)) } },
    ]);
    expect(outcome).toEqual({ written: 60, collapsed: 0, calls: 3, retried: 0 });
  });

  it('sends nothing for no items', async () => {
    // Act
    const outcome = await writer.putAll(TABLE, []);

    // Assess
    expect(dynamodb).not.toHaveReceivedCommand(BatchWriteCommand);
    expect(outcome).toEqual({ written: 0, collapsed: 0, calls: 0, retried: 0 });
  });

  it('collapses items with the same key before chunking: the later item wins, and no call holds a key twice', async () => {
    // Prepare: 30 items, of which 5 repeat the keys of items 0-4 with new values.
    const first = Array.from({ length: 25 }, (_, i) => item(i));
    const repeats = Array.from({ length: 5 }, (_, i) => item(i, { Distance: 1_000 + i }));

    // Act
    const outcome = await writer.putAll(TABLE, [...first, ...repeats]);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(BatchWriteCommand, 1);
    expect(dynamodb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { [TABLE]: puts([...first.slice(5), ...repeats]) },
    });
    expect(outcome).toEqual({ written: 25, collapsed: 5, calls: 1, retried: 0 });
  });

  it('tells keys apart by partition and sort key both', async () => {
    // Prepare: same Name, different StatusTime; same StatusTime, different Name.
    const items = [
      { Name: 'Shadowfax', StatusTime: 'a', Distance: 1 },
      { Name: 'Shadowfax', StatusTime: 'b', Distance: 2 },
      { Name: 'Bucephalus', StatusTime: 'a', Distance: 3 },
      { Name: 'Shadowfax', StatusTime: 'a', Distance: 4 },
    ];

    // Act
    await writer.putAll(TABLE, items);

    // Assess
    expect(dynamodb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { [TABLE]: puts([items[1]!, items[2]!, items[3]!]) },
    });
  });

  it('retries exactly the UnprocessedItems, after a capped jittered wait', async () => {
    // Prepare
    const items = Array.from({ length: 10 }, (_, i) => item(i));
    const unprocessed = [items[2]!, items[7]!];
    dynamodb.on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: puts(unprocessed) } })
      .resolves({ UnprocessedItems: {} });

    // Act
    const outcome = await writer.putAll(TABLE, items);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(dynamodb).toHaveReceivedNthCommandWith(BatchWriteCommand, 2, { RequestItems: { [TABLE]: puts(unprocessed) } });
    expect(environment.waits).toEqual([50]);
    expect(outcome).toEqual({ written: 10, collapsed: 0, calls: 2, retried: 2 });
  });

  it('throws DynamoDbWriteError naming how many items stayed unprocessed when the retries run out', async () => {
    // Prepare
    const items = Array.from({ length: 30 }, (_, i) => ({ Name: `U${i}`, StatusTime: 't', Distance: i }));
    dynamodb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: { Name: string } } }[]> }) => ({
      UnprocessedItems: { [TABLE]: input.RequestItems[TABLE]!.filter((r) => r.PutRequest.Item.Name === 'U3' || r.PutRequest.Item.Name === 'U28') },
    }));

    // Act
    const failure = await writer.putAll(TABLE, items).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(DynamoDbWriteError);
    expect(failure).toMatchObject({ code: 'DYNAMODB_UNPROCESSED_ITEMS', unprocessed: 2, attempted: 30, tableName: TABLE });
    expect((failure as Error).message).toBe(`2 of 30 items to ${TABLE} stayed unprocessed after retries`);
    // Two chunks, each sent once and retried three times.
    expect(dynamodb).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
    expect(environment.waits).toEqual([50, 100, 200, 50, 100, 200]);
  });

  it('rejects an item without its key before sending anything', async () => {
    // Act
    const failure = await writer.putAll(TABLE, [item(1), { Name: 'Shadowfax', Distance: 3 }]).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(DynamoDbInvalidItemError);
    expect(failure).toMatchObject({ code: 'DYNAMODB_INVALID_ITEM' });
    expect(dynamodb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('lets an error of the call itself through', async () => {
    // Prepare
    dynamodb.on(BatchWriteCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));

    // Act + Assess
    await expect(writer.putAll(TABLE, [item(1)])).rejects.toThrow('Requested resource not found');
  });
});
