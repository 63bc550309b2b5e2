import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RESOURCE_NAMES, type ApplyOutcome, type HealthChange, type HealthStore, type StoredHealth } from '@wildrydes/domain';
import { DEFAULT_BACKOFF, REAL_BACKOFF_ENVIRONMENT, type BackoffEnvironment, type BackoffPolicy } from '../sdk/capped-backoff';
import { batchGetItems } from './batch-get-items';
import { forEachConcurrently } from './bounded-concurrency';
import { isConditionalCheckFailed } from './dynamodb.errors';
import { fromHealthItem, toHealthItem } from './health-item.mapper';
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
 * - `findUnseenSince(t)`: a paged Scan with `Silent = false AND LastReadingTime < :t`. A filter does not reduce
 *   the bill: a Scan reads the whole table, ~190 B × N / 4 KB / 2 RRU per call (1,000 unicorns: ~24 RRU;
 *   100,000: ~2,400 RRU and ~20 pages of 1 MB). Cheap for the workshop's fleet checked every few seconds.
 *   A sparse GSI would be better for a large fleet checked often: an attribute such as `AwakeShard` (a few
 *   shards, so no hot partition) present only while not silent, with `LastReadingTime` as the index sort key,
 *   lets a Query read only the candidates. But every write that moves LastReadingTime then also writes the
 *   index (+1 WRU, and a WRU costs 5× an RRU), so it pays off only when checks × table size outweigh
 *   5 × the last-seen writes — e.g. when last-seen refreshes are coalesced to a few per unicorn a minute.
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

  async findUnseenSince(unseenSince: number): Promise<StoredHealth[]> {
    const unseen: StoredHealth[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({
        TableName: this.tableName,
        FilterExpression: '#s = :false AND #t < :t',
        ExpressionAttributeNames: { '#s': 'Silent', '#t': 'LastReadingTime' },
        ExpressionAttributeValues: { ':false': false, ':t': unseenSince },
        ...(this.scanPageSize === undefined ? {} : { Limit: this.scanPageSize }),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) unseen.push(fromHealthItem(this.tableName, item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return unseen;
  }
}
