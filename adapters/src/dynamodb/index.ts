export { DynamoDbBatchWriter, BATCH_WRITE_MAX_ITEMS, type DynamoDbBatchWriterOptions, type PutAllOutcome, type TableKeySchema } from './dynamodb-batch-writer';
export { DynamoDbSummaryStore, type DynamoDbSummaryStoreOptions } from './dynamodb-summary-store';
export { DynamoDbHealthStore, type DynamoDbHealthStoreOptions } from './dynamodb-health-store';
export { batchGetItems, BATCH_GET_MAX_KEYS, type BatchGetOptions, type DynamoDbItem, type DynamoDbKey } from './batch-get-items';
export { toSummaryItem, fromSummaryItem, summaryStatusTime, type SummaryItem } from './summary-item.mapper';
export { toHealthItem, fromHealthItem, type HealthItem } from './health-item.mapper';
export { dynamoDbItemSize } from './dynamodb-item-size';
export {
  DynamoDbInvalidItemError, DynamoDbMergeConflictError, DynamoDbReadError, DynamoDbWriteError, isConditionalCheckFailed,
} from './dynamodb.errors';
export { DynamoDbImportedSummaryStore } from './dynamodb-imported-summary-store';
export { createDynamoDbClient, createDynamoDbDocumentClient } from './dynamodb-client';
export { DynamoDbHealthReader, DynamoDbMinuteSummaryReader } from './dynamodb-fleet-readers';
export { DynamoDbSummaryLedger } from './dynamodb-summary-ledger';
