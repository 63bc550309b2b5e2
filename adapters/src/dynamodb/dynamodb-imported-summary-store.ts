import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS, type ImportedMinuteSummary, type ImportedSummaryStore } from '@wildrydes/domain';
import { DynamoDbBatchWriter } from './dynamodb-batch-writer';

/**
 * Imported summaries as whole `UnicornSensorData` items, written with BatchWriteItem (25 a call, UnprocessedItems
 * retried). It answers the port's `{ written }` alone: the writer's call and retry counts stay in the adapter.
 */
export class DynamoDbImportedSummaryStore implements ImportedSummaryStore {
  private readonly writer: DynamoDbBatchWriter;

  constructor(client: DynamoDBDocumentClient, private readonly tableName: string) {
    this.writer = new DynamoDbBatchWriter(client, TABLE_KEYS.UnicornSensorData);
  }

  async putImported(summaries: readonly ImportedMinuteSummary[]): Promise<{ readonly written: number }> {
    const { written } = await this.writer.putAll(this.tableName, summaries);
    return { written };
  }
}
