import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  fleetHealthViews, formatStatusTime, RESOURCE_NAMES, WINDOW_MS, type HealthReader, type MinuteSummary, type MinuteSummaryReader, type ShardLastSeen,
  type UnicornHealthState, type UnicornHealthView,
} from '@wildrydes/domain';
import { DynamoDbInvalidItemError } from './dynamodb.errors';
import { fromHealthItem } from './health-item.mapper';
import { fromShardItem, SHARD_RECORD_KIND } from './shard-last-seen.mapper';

/**
 * The whole `UnicornHealth` table in one paged Scan: unicorn items (state as of the last transition) and the shards'
 * last-seen records (ADR 9), joined so each unicorn carries the newest reading time known. A unicorn with no item
 * yet (healthy since its first reading) is read from the record that carries it. The table holds ~190
 * bytes a unicorn: a scan of 10,000 unicorns reads ~2 MB, ~240 RRU eventually consistent, so readers poll it every
 * few seconds, not per request.
 */
export class DynamoDbHealthReader implements HealthReader {
  readonly tableName: string;
  private readonly scanPageSize: number | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    options: { readonly tableName?: string; readonly scanPageSize?: number } = {},
  ) {
    this.tableName = options.tableName ?? RESOURCE_NAMES.healthTable;
    this.scanPageSize = options.scanPageSize;
  }

  async readAll(): Promise<UnicornHealthView[]> {
    const states: UnicornHealthState[] = [];
    const records: ShardLastSeen[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({
        TableName: this.tableName,
        ...(this.scanPageSize === undefined ? {} : { Limit: this.scanPageSize }),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) {
        if (item['Kind'] === SHARD_RECORD_KIND) records.push(fromShardItem(this.tableName, item));
        else states.push(fromHealthItem(this.tableName, item).state);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return fleetHealthViews(states, records);
  }
}

const SUMMARY_ATTRIBUTES = ['Name', 'StatusTime', 'WindowStart', 'Distance', 'MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints', 'Readings'] as const;

/**
 * One unicorn's minutes from `UnicornSensorData` by a key-range Query on the sort key (`StatusTime` = window end),
 * projecting only the workshop's summary attributes (not the reading lists): an hour of minutes is ~60 × 200 bytes.
 * Imported summaries (no reading lists) are summaries too and are returned alike.
 */
export class DynamoDbMinuteSummaryReader implements MinuteSummaryReader {
  readonly tableName: string;

  constructor(private readonly client: DynamoDBDocumentClient, options: { readonly tableName?: string } = {}) {
    this.tableName = options.tableName ?? RESOURCE_NAMES.summaryTable;
  }

  async readMinutes(name: string, fromWindowStart: number, beforeWindowStart: number): Promise<MinuteSummary[]> {
    if (!(beforeWindowStart > fromWindowStart)) return [];
    const minutes: MinuteSummary[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        // The sort key is the window's end: starts in [from, before) are ends in [from + 1 min, before + 1 min).
        KeyConditionExpression: '#n = :n AND #t BETWEEN :from AND :to',
        ProjectionExpression: SUMMARY_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: { '#n': 'Name', '#t': 'StatusTime', ...Object.fromEntries(SUMMARY_ATTRIBUTES.map((a, i) => [`#a${i}`, a])) },
        ExpressionAttributeValues: {
          ':n': name,
          ':from': formatStatusTime(fromWindowStart + WINDOW_MS),
          ':to': formatStatusTime(beforeWindowStart + WINDOW_MS - 1),
        },
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) minutes.push(toMinuteSummary(this.tableName, item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return minutes;
  }
}

function toMinuteSummary(tableName: string, item: Record<string, unknown>): MinuteSummary {
  const invalid = (why: string): DynamoDbInvalidItemError => new DynamoDbInvalidItemError(tableName, `item ${String(item['Name'])} @ ${String(item['StatusTime'])} ${why}`);
  for (const text of ['Name', 'StatusTime', 'WindowStart'] as const) if (typeof item[text] !== 'string') throw invalid(`has no ${text}`);
  for (const number of ['Distance', 'MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints'] as const) {
    if (typeof item[number] !== 'number') throw invalid(`has no numeric ${number}`);
  }
  return {
    Name: item['Name'] as string, StatusTime: item['StatusTime'] as string, WindowStart: item['WindowStart'] as string,
    Distance: item['Distance'] as number,
    MinMagicPoints: item['MinMagicPoints'] as number, MaxMagicPoints: item['MaxMagicPoints'] as number,
    MinHealthPoints: item['MinHealthPoints'] as number, MaxHealthPoints: item['MaxHealthPoints'] as number,
    // Imported workshop summaries carry no count.
    Readings: typeof item['Readings'] === 'number' ? item['Readings'] : 0,
  };
}
