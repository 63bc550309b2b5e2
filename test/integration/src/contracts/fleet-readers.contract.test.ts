import { describe } from 'vitest';
import { DynamoDbHealthReader, DynamoDbHealthStore, DynamoDbMinuteSummaryReader, DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import {
  healthReaderContract, InMemoryHealthStore, InMemorySummaryStore, minuteSummaryReaderContract,
  type HealthReaderUnderTest, type MinuteSummaryReaderUnderTest,
} from '@wildrydes/test-kit';
import { useLocalDynamoDb } from '../support/dynamodb-local.test-support';

const inMemoryHealth = () => async (): Promise<HealthReaderUnderTest> => {
  const store = new InMemoryHealthStore();
  return { writer: store, reader: store, dispose: async () => undefined };
};

const dynaliteHealth = () => {
  const local = useLocalDynamoDb();
  return async (): Promise<HealthReaderUnderTest> => {
    const tableName = await local.createTable('UnicornHealth');
    const client = local.probedClient();
    // A page size of 1 makes the scan follow LastEvaluatedKey across pages.
    return { writer: new DynamoDbHealthStore(client.documentClient, { tableName }), reader: new DynamoDbHealthReader(client.documentClient, { tableName, scanPageSize: 1 }), dispose: async () => client.destroy() };
  };
};

const inMemoryMinutes = () => async (): Promise<MinuteSummaryReaderUnderTest> => {
  const store = new InMemorySummaryStore();
  return { writer: store, reader: store, dispose: async () => undefined };
};

const dynaliteMinutes = () => {
  const local = useLocalDynamoDb();
  return async (): Promise<MinuteSummaryReaderUnderTest> => {
    const tableName = await local.createTable('UnicornSensorData');
    const client = local.probedClient();
    return { writer: new DynamoDbSummaryStore(client.documentClient, { tableName }), reader: new DynamoDbMinuteSummaryReader(client.documentClient, { tableName }), dispose: async () => client.destroy() };
  };
};

describe.each([
  { implementation: 'InMemoryHealthStore', harness: inMemoryHealth },
  { implementation: 'DynamoDbHealthReader on the local runtime (dynalite)', harness: dynaliteHealth },
])('HealthReader contract: $implementation', ({ harness }) => {
  healthReaderContract(harness());
});

describe.each([
  { implementation: 'InMemorySummaryStore', harness: inMemoryMinutes },
  { implementation: 'DynamoDbMinuteSummaryReader on the local runtime (dynalite)', harness: dynaliteMinutes },
])('MinuteSummaryReader contract: $implementation', ({ harness }) => {
  minuteSummaryReaderContract(harness());
});
