import { describe } from 'vitest';
import { DynamoDbHealthStore } from '../aws/dynamodb/dynamodb-health-store';
import { useLocalDynamoDb } from '../aws/dynamodb/dynamodb-local.test-support';
import { InMemoryHealthStore } from '../memory/in-memory-health-store';
import { healthStoreContract, type HealthStoreFactory } from './health-store.contract';

const inMemory = (): HealthStoreFactory => async () => {
  const store = new InMemoryHealthStore();
  return {
    store,
    otherWriter: store,
    interleaveBeforeNextWrite: (action) => store.interleaveBeforeNextWrite(action),
    dispose: async () => undefined,
  };
};

const onDynalite = (): HealthStoreFactory => {
  const local = useLocalDynamoDb();
  return async () => {
    const tableName = await local.createTable('UnicornHealth');
    const mine = local.probedClient();
    const theirs = local.probedClient();
    return {
      // A page size of 2 makes findUnseenSince follow LastEvaluatedKey across several pages.
      store: new DynamoDbHealthStore(mine.documentClient, { tableName, scanPageSize: 2 }),
      otherWriter: new DynamoDbHealthStore(theirs.documentClient, { tableName }),
      interleaveBeforeNextWrite: (action) => mine.interleaveBeforeNextPut(action),
      dispose: async () => {
        mine.destroy();
        theirs.destroy();
      },
    };
  };
};

describe.each([
  { implementation: 'InMemoryHealthStore', harness: inMemory },
  { implementation: 'DynamoDbHealthStore on the local runtime (dynalite)', harness: onDynalite },
])('HealthStore contract: $implementation', ({ harness }) => {
  healthStoreContract(harness());
});
