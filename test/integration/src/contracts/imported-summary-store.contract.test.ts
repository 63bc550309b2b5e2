import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { describe } from 'vitest';
import type { ImportedMinuteSummary } from '@wildrydes/domain';
import { DynamoDbImportedSummaryStore } from '@wildrydes/adapters/dynamodb';
import { useLocalDynamoDb, type LocalDynamoDb } from '../support/dynamodb-local.test-support';
import { InMemoryImportedSummaryStore } from '@wildrydes/test-kit';
import { describeImportedSummaryStoreContract, type ImportedSummaryStoreFactory } from '@wildrydes/test-kit';

const inMemory = (): ImportedSummaryStoreFactory => async () => {
  const store = new InMemoryImportedSummaryStore();
  return { store, items: async () => store.items() };
};

/** A fresh UnicornSensorData table per test, read back with a plain Scan (every page). */
const onDynalite = (): ImportedSummaryStoreFactory => {
  const local: LocalDynamoDb = useLocalDynamoDb();
  return async () => {
    const tableName = await local.createTable('UnicornSensorData');
    const { documentClient } = local.probedClient();
    return {
      store: new DynamoDbImportedSummaryStore(documentClient, tableName),
      items: async () => {
        const items: ImportedMinuteSummary[] = [];
        for await (const page of paginateScan({ client: documentClient }, { TableName: tableName, ConsistentRead: true })) {
          items.push(...((page.Items ?? []) as ImportedMinuteSummary[]));
        }
        return items;
      },
    };
  };
};

describe.each([
  { implementation: 'InMemoryImportedSummaryStore', harness: inMemory },
  { implementation: 'DynamoDbImportedSummaryStore on the local runtime (dynalite)', harness: onDynalite },
])('$implementation', ({ implementation, harness }) => {
  describeImportedSummaryStoreContract(implementation, harness());
});
