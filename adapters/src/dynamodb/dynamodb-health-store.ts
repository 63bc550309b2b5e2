import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  RESOURCE_NAMES, type ApplyOutcome, type HealthChange, type HealthStore, type ShardLastSeen, type StoredHealth, type StoredShardLastSeen,
} from '@wildrydes/domain';
import { DEFAULT_BACKOFF, REAL_BACKOFF_ENVIRONMENT, type BackoffEnvironment, type BackoffPolicy } from '../sdk/capped-backoff';
import { batchGetItems } from './batch-get-items';
import { forEachConcurrently } from './bounded-concurrency';
import { isConditionalCheckFailed } from './dynamodb.errors';
import { fromHealthItem, toHealthItem } from './health-item.mapper';
import { fromShardItem, SHARD_RECORD_KIND, shardRecordKey, toShardItem } from './shard-last-seen.mapper';
import { versionedPut } from './versioned-put';

export interface DynamoDbHealthStoreOptions {
  /** Default `UnicornHealth`; tests pass their own. */
  readonly tableName?: string;
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
  /** Conditional PutItems in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Scan page size (Limit); DynamoDB's own cap is 1 MB a page. Unset by default. */
  readonly scanPageSize?: number;
}

/**
 * Each unicorn's current health (`UnicornHealth`, key `Name`), with optimistic concurrency on `Version`.
 *
 * - `load(names)`: BatchGetItem, ≤ 100 distinct keys a call, eventually consistent (a stale read only costs a
 *   conflict on write), UnprocessedKeys retried with capped backoff.
 * - `applyTransitions(changes)`: one conditional PutItem per change (`attribute_not_exists(#n)` for a unicorn not
 *   stored yet, `#v = :expected` otherwise; the item carries Version + 1), a few in flight at once. A lost race
 *   (ConditionalCheckFailedException) is returned by name for the caller to reload and re-evaluate; anything
 *   else is thrown. Items are ~190 bytes: 1 WRU each, billed even when the condition fails.
 * - shard records (`loadShard`, `saveShard`, `listShards`): each Kinesis shard's last-seen times in one item of
 *   the same table, under a key no unicorn can have (shard-last-seen.mapper.ts); saved with the same versioned
 *   put; listed by a paged Scan filtered on `Kind` — the scan reads the whole table (~190 B per unicorn / 4 KB / 2
 *   RRU), once a minute.
 */
export class DynamoDbHealthStore implements HealthStore {
  readonly tableName: string;
  private readonly backoff: BackoffPolicy;
  private readonly environment: BackoffEnvironment;
  private readonly concurrency: number;
  private readonly scanPageSize: number | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    options: DynamoDbHealthStoreOptions = {},
  ) {
    this.tableName = options.tableName ?? RESOURCE_NAMES.healthTable;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.environment = options.environment ?? REAL_BACKOFF_ENVIRONMENT;
    this.concurrency = options.concurrency ?? 8;
    this.scanPageSize = options.scanPageSize;
  }

  async load(names: readonly string[]): Promise<Map<string, StoredHealth>> {
    const loaded = new Map<string, StoredHealth>();
    if (names.length === 0) return loaded;
    const items = await batchGetItems(this.client, this.tableName, names.map((Name) => ({ Name })), {
      backoff: this.backoff, environment: this.environment,
    });
    for (const item of items) {
      const stored = fromHealthItem(this.tableName, item);
      loaded.set(stored.state.name, stored);
    }
    return loaded;
  }

  async applyTransitions(changes: readonly HealthChange[]): Promise<ApplyOutcome> {
    const conflicts: string[] = [];
    await forEachConcurrently(changes, this.concurrency, async ({ state, expectedVersion }) => {
      try {
        await this.client.send(new PutCommand(versionedPut(this.tableName, toHealthItem(state, (expectedVersion ?? 0) + 1), expectedVersion)));
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        conflicts.push(state.name);
      }
    });
    // Sorted, so the outcome does not depend on which write finished first.
    return { conflicts: conflicts.sort() };
  }

  async loadShard(shardId: string): Promise<StoredShardLastSeen | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { Name: shardRecordKey(shardId) }, ConsistentRead: true }));
    return Item === undefined ? undefined : fromShardItem(this.tableName, Item);
  }

  async saveShard(record: ShardLastSeen, expectedVersion: number | undefined): Promise<'saved' | 'conflict'> {
    try {
      await this.client.send(new PutCommand(versionedPut(this.tableName, toShardItem(record, (expectedVersion ?? 0) + 1), expectedVersion)));
      return 'saved';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return 'conflict';
    }
  }

  async listShards(): Promise<StoredShardLastSeen[]> {
    const records: StoredShardLastSeen[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({
        TableName: this.tableName,
        FilterExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': 'Kind' },
        ExpressionAttributeValues: { ':k': SHARD_RECORD_KIND },
        ...(this.scanPageSize === undefined ? {} : { Limit: this.scanPageSize }),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) records.push(fromShardItem(this.tableName, item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return records.sort((a, b) => (a.shardId < b.shardId ? -1 : 1));
  }

}
