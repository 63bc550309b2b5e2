import { describe } from 'vitest';
import { DynamoDbImportedSummaryStore, DynamoDbSummaryLedger, DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import { useLocalDynamoDb, type LocalDynamoDb } from '../support/dynamodb-local.test-support';
import { InMemoryImportedSummaryStore, InMemorySummaryLedger, InMemorySummaryStore } from '@wildrydes/test-kit';
import { describeSummaryLedgerContract, type SummaryLedgerFactory } from '@wildrydes/test-kit';

const NO_WAIT = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)), random: () => 0.5 };

const inMemory = (): SummaryLedgerFactory => async () => {
  const summaries = new InMemorySummaryStore();
  const imported = new InMemoryImportedSummaryStore();
  return { ledger: new InMemorySummaryLedger(summaries, imported), summaries, imported };
};

/** A fresh UnicornSensorData table per test, written by the services' own adapters. */
const onDynalite = (): SummaryLedgerFactory => {
  const local: LocalDynamoDb = useLocalDynamoDb();
  return async () => {
    const tableName = await local.createTable('UnicornSensorData');
    const { documentClient } = local.probedClient();
    return {
      ledger: new DynamoDbSummaryLedger(documentClient, { tableName }),
      summaries: new DynamoDbSummaryStore(documentClient, { tableName, environment: NO_WAIT }),
      imported: new DynamoDbImportedSummaryStore(documentClient, tableName),
    };
  };
};

describe.each([
  { implementation: 'InMemorySummaryLedger', harness: inMemory },
  { implementation: 'DynamoDbSummaryLedger on the local runtime (dynalite)', harness: onDynalite },
])('$implementation', ({ implementation, harness }) => {
  describeSummaryLedgerContract(implementation, harness());
});
