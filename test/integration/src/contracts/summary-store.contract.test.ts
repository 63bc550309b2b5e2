import { describe } from 'vitest';
import { DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import { useLocalDynamoDb, type LocalDynamoDb } from '../support/dynamodb-local.test-support';
import { InMemorySummaryStore } from '@wildrydes/test-kit';
import { summaryStoreContract, type SummaryStoreFactory } from '@wildrydes/test-kit';

/** Conflict backoff yields to the event loop instead of waiting: the contract tests behaviour, not timing. */
const NO_WAIT = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)), random: () => 0.5 };

const inMemory = (): SummaryStoreFactory => async () => {
  const store = new InMemorySummaryStore();
  return {
    store,
    otherWriter: store,
    get: (name, windowStart) => store.get(name, windowStart),
    listByName: (name) => store.listByName(name),
    writes: () => store.writeCount,
    interleaveBeforeNextWrite: (action) => store.interleaveBeforeNextWrite(action),
    dispose: async () => undefined,
  };
};

const onDynalite = (): SummaryStoreFactory => {
  const local: LocalDynamoDb = useLocalDynamoDb();
  return async () => {
    const tableName = await local.createTable('UnicornSensorData');
    const mine = local.probedClient();
    const theirs = local.probedClient();
    const store = new DynamoDbSummaryStore(mine.documentClient, { tableName, environment: NO_WAIT });
    return {
      store,
      otherWriter: new DynamoDbSummaryStore(theirs.documentClient, { tableName, environment: NO_WAIT }),
      get: (name, windowStart) => store.get(name, windowStart),
      listByName: (name) => store.listByName(name),
      writes: () => ['PutItemCommand', 'UpdateItemCommand', 'BatchWriteItemCommand'].reduce((n, command) => n + (mine.sent.get(command) ?? 0), 0),
      interleaveBeforeNextWrite: (action) => mine.interleaveBeforeNextWrite(action),
      dispose: async () => {
        mine.destroy();
        theirs.destroy();
      },
    };
  };
};

describe.each([
  { implementation: 'InMemorySummaryStore', harness: inMemory },
  { implementation: 'DynamoDbSummaryStore on the local runtime (dynalite)', harness: onDynalite },
])('SummaryStore contract: $implementation', ({ harness }) => {
  summaryStoreContract(harness());
});
