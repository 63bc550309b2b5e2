import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseStatusTime, RESOURCE_NAMES, WINDOW_MS, type LedgerMinute, type SummaryLedger, type TimeRange } from '@wildrydes/domain';
import { DynamoDbInvalidItemError } from './dynamodb.errors';

/**
 * The minutes of `UnicornSensorData` in a range, read with a paged Scan of the four attributes counting needs
 * (about 0.5 RRU per 4 KB scanned, eventually consistent). The range is applied here, not as a FilterExpression:
 * an imported summary keeps its file's `StatusTime` spelling, which need not sort like the workshop's format.
 */
export class DynamoDbSummaryLedger implements SummaryLedger {
  private readonly tableName: string;

  constructor(private readonly documentClient: DynamoDBDocumentClient, options: { readonly tableName?: string } = {}) {
    this.tableName = options.tableName ?? RESOURCE_NAMES.summaryTable;
  }

  async *minutes(range: TimeRange): AsyncGenerator<LedgerMinute, void, undefined> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documentClient.send(new ScanCommand({
        TableName: this.tableName,
        ProjectionExpression: '#n, StatusTime, Readings, ImportedFrom',
        ExpressionAttributeNames: { '#n': 'Name' },
        ...(ExclusiveStartKey === undefined ? {} : { ExclusiveStartKey }),
      }));
      for (const item of page.Items ?? []) {
        const minute = this.toMinute(item);
        if (minute.windowStart >= range.from && minute.windowStart < range.to) yield minute;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
  }

  private toMinute(item: Record<string, unknown>): LedgerMinute {
    const { Name: name, StatusTime: statusTime, Readings: readings, ImportedFrom: importedFrom } = item;
    if (typeof name !== 'string' || typeof statusTime !== 'string') {
      throw new DynamoDbInvalidItemError(this.tableName, `item ${String(name)} @ ${String(statusTime)} has no Name or StatusTime`);
    }
    const end = parseStatusTime(statusTime);
    if (Number.isNaN(end)) throw new DynamoDbInvalidItemError(this.tableName, `item ${name} @ ${statusTime} has an unreadable StatusTime`);
    return {
      name,
      windowStart: end - WINDOW_MS,
      readings: typeof readings === 'number' ? readings : 0,
      importedFrom: typeof importedFrom === 'string' ? importedFrom : undefined,
    };
  }
}
