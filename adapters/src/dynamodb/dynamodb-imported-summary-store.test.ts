import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportedMinuteSummary } from '@wildrydes/domain';
import { DynamoDbImportedSummaryStore } from './dynamodb-imported-summary-store';

const dynamodb = mockClient(DynamoDBDocumentClient);
const TABLE = 'wildrydes-UnicornSensorData';

const summary = (i: number, overrides: Partial<ImportedMinuteSummary> = {}): ImportedMinuteSummary => ({
  Name: `Unicorn-${i % 7}`,
  StatusTime: `2016-02-12 00:${String(Math.floor(i / 7)).padStart(2, '0')}:00.000`,
  Distance: 1300 + i + 0.25,
  MinMagicPoints: 128,
  MaxMagicPoints: 158,
  MinHealthPoints: 141,
  MaxHealthPoints: 176,
  ImportedFrom: 's3://wildrydes-data/uploads/fleet.json',
  ...overrides,
});
const puts = (items: readonly ImportedMinuteSummary[]) => items.map((Item) => ({ PutRequest: { Item } }));
const sentInputs = () => dynamodb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input);

describe('DynamoDbImportedSummaryStore', () => {
  let store: DynamoDbImportedSummaryStore;

  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    store = new DynamoDbImportedSummaryStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);
  });

  it('puts each summary as a whole item in one BatchWriteItem call, and answers only { written }', async () => {
    // Prepare
    const summaries = [summary(0), summary(1, { Name: 'Ünicörn 🦄' })];

    // Act
    const result = await store.putImported(summaries);

    // Assess
    expect(dynamodb).toHaveReceivedCommandTimes(BatchWriteCommand, 1);
    expect(sentInputs()).toEqual([{ RequestItems: { [TABLE]: puts(summaries) } }]);
    expect(result).toEqual({ written: 2 });
  });

  it.each([
    { count: 25, batches: [25] },
    { count: 26, batches: [25, 1] },
    { count: 60, batches: [25, 25, 10] },
  ])('writes $count summaries in calls of $batches', async ({ count, batches }) => {
    // Prepare
    const summaries = Array.from({ length: count }, (_, i) => summary(i));
    let from = 0;
    const expected = batches.map((size) => ({ RequestItems: { [TABLE]: puts(summaries.slice(from, (from += size))) } }));

    // Act
    const result = await store.putImported(summaries);

    // Assess: calls run concurrently, so their order is not the contract; their inputs are.
    expect(sentInputs()).toHaveLength(batches.length);
    expect(sentInputs()).toEqual(expect.arrayContaining(expected));
    expect(result).toEqual({ written: count });
  });

  it('sends the later of two summaries with the same Name and StatusTime, and counts it once', async () => {
    // Prepare
    const earlier = summary(0, { Distance: 1 });
    const other = summary(1);
    const later = summary(0, { Distance: 2 });

    // Act
    const result = await store.putImported([earlier, other, later]);

    // Assess
    expect(sentInputs()).toEqual([{ RequestItems: { [TABLE]: puts([other, later]) } }]);
    expect(result).toEqual({ written: 2 });
  });

  it('sends nothing for no summaries', async () => {
    // Act
    const result = await store.putImported([]);

    // Assess
    expect(dynamodb).not.toHaveReceivedCommand(BatchWriteCommand);
    expect(result).toEqual({ written: 0 });
  });

  it('lets a failure of the call through, so the import is retried', async () => {
    // Prepare
    dynamodb.on(BatchWriteCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));

    // Act
    const putting = store.putImported([summary(0)]);

    // Assess
    await expect(putting).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
