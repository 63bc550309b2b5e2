import { describe } from 'vitest';
import { DynamoDbHealthStore } from '@wildrydes/adapters/dynamodb';
import { useLocalDynamoDb } from '../support/dynamodb-local.test-support';
import { InMemoryHealthStore } from '@wildrydes/test-kit';
import { healthStoreContract, type HealthStoreFactory } from '@wildrydes/test-kit';

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
      // A page size of 2 makes listShards follow LastEvaluatedKey across several pages.
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
