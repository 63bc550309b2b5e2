/**
 * Puts whole items into a table, many at a time; writing an item again with the same key replaces it.
 * `DynamoDbBatchWriter` (BatchWriteItem, 25 a call, UnprocessedItems retried) is the AWS adapter.
 */
export interface ItemBatchWriter {
  putAll(tableName: string, items: readonly object[]): Promise<{ readonly written: number }>;
}
