import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  mergeAll, mergePartials, RESOURCE_NAMES, type MergedWindow, type MergeOptions, type MinutePartial, type PendingQuery, type PendingWindow,
  type SummaryStore,
} from '@wildrydes/domain';
import { backoffDelayMs, DEFAULT_BACKOFF, REAL_BACKOFF_ENVIRONMENT, type BackoffEnvironment, type BackoffPolicy } from '../sdk/capped-backoff';
import { batchGetItems } from './batch-get-items';
import { versionedPut } from './versioned-put';
import { forEachConcurrently } from './bounded-concurrency';
import { DynamoDbMergeConflictError, isConditionalCheckFailed } from './dynamodb.errors';
import { samePartial, windowMarkOf, type StoredSummary, type WindowMark } from '@wildrydes/domain';
import { fromSummaryItem, isImportedSummary, summaryStatusTime, toSummaryItem } from './summary-item.mapper';

export interface DynamoDbSummaryStoreOptions {
  /** Default `UnicornSensorData`; tests pass their own. */
  readonly tableName?: string;
  /** Backoff of UnprocessedKeys retries and between conflict re-reads. */
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
  /** Conditional writes lost in a row before a window fails with DynamoDbMergeConflictError. Default 10. */
  readonly maxConflictRetries?: number;
  /** Conditional PutItems in flight at once. Default 8. */
  readonly concurrency?: number;
}

/**
 * The per-minute summaries (`UnicornSensorData`, key `Name` + `StatusTime` = window end), merged exactly once.
 *
 * Item: the workshop's summary attributes plus the partial itself — every reading's offset (uint16) and distance
 * (float64) packed in two binary attributes, the last position and a `Version` (see summary-item.mapper.ts).
 * 60 readings with decimal distances make an item of ~850 bytes: **1 WRU per write**, 0.5 RRU per eventually
 * consistent read.
 *
 * `merge(partials, { markEmitted })`:
 * 1. merges the batch's partials of the same window in memory (`mergeAll`): one write per window per batch;
 * 2. reads the current items with BatchGetItem (≤ 100 keys a call, eventually consistent, UnprocessedKeys retried);
 * 3. merges each with `mergePartials` — a reading already stored (same offset) counts once;
 * 4. skips a window whose merge changed nothing: a replay reads (0.5 RRU a window) but writes nothing — unless
 *    `markEmitted` asks for the mark and the stored version is not emitted yet: then one conditional UpdateItem
 *    (`SET EmittedVersion = :v` if `Version = :v`) marks it;
 * 5. writes each changed window with a conditional PutItem: `attribute_not_exists(#n)` for a new window,
 *    `#v = :expected` otherwise, with Version + 1 — and, with `markEmitted`, EmittedVersion = the new Version in the
 *    same item, so closing a minute costs one write, not two;
 * 6. on ConditionalCheckFailedException (another writer got there first, or the eventually consistent read was
 *    stale) re-reads that window strongly consistently and merges again, up to `maxConflictRetries` times.
 * Because the merge is idempotent and the write conditional, redelivery, bisection and concurrent writers each
 * count a reading once. A stale read can only miss readings, never invent them, so skipping a window on a stale
 * read is safe: what it already held the current item holds too.
 * Cost per call: 0.5 RRU per window touched + 1 WRU per window changed or marked (+1 RRU and 1 WRU per lost race;
 * a failed conditional write is billed). No transactions, so it runs on dynalite as on AWS.
 */
export class DynamoDbSummaryStore implements SummaryStore {
  readonly tableName: string;
  private readonly backoff: BackoffPolicy;
  private readonly environment: BackoffEnvironment;
  private readonly maxConflictRetries: number;
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    options: DynamoDbSummaryStoreOptions = {},
  ) {
    this.tableName = options.tableName ?? RESOURCE_NAMES.summaryTable;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.environment = options.environment ?? REAL_BACKOFF_ENVIRONMENT;
    this.maxConflictRetries = options.maxConflictRetries ?? 10;
    this.concurrency = options.concurrency ?? 8;
  }

  async merge(partials: readonly MinutePartial[], options: MergeOptions = {}): Promise<MergedWindow[]> {
    const mark = windowMarkOf(options);
    const windows = [...mergeAll(partials).values()];
    if (windows.length === 0) return [];
    const items = await batchGetItems(
      this.client,
      this.tableName,
      windows.map((w) => this.keyOf(w.name, w.windowStart)),
      { backoff: this.backoff, environment: this.environment },
    );
    const stored = new Map<string, StoredSummary | 'imported'>();
    for (const item of items) {
      if (isImportedSummary(item)) stored.set(`${String(item['Name'])}\u0000${String(item['StatusTime'])}`, 'imported');
      else {
        const current = fromSummaryItem(this.tableName, item);
        stored.set(`${current.partial.name}\u0000${summaryStatusTime(current.partial.windowStart)}`, current);
      }
    }
    const results: MergedWindow[] = new Array<MergedWindow>(windows.length);
    await forEachConcurrently(windows, this.concurrency, async (incoming, index) => {
      results[index] = await this.mergeWindow(incoming, stored.get(`${incoming.name}\u0000${summaryStatusTime(incoming.windowStart)}`), mark);
    });
    return results;
  }

  /** The stored minute of `name` starting at `windowStart` (epoch ms), read strongly consistently. */
  async get(name: string, windowStart: number): Promise<StoredSummary | undefined> {
    const { Item } = await this.client.send(new GetCommand({
      TableName: this.tableName, Key: this.keyOf(name, windowStart), ConsistentRead: true,
    }));
    return Item === undefined ? undefined : fromSummaryItem(this.tableName, Item);
  }

  /** Every stored minute of a unicorn, oldest first (a Query on the partition key, paged). */
  async listByName(name: string): Promise<StoredSummary[]> {
    const summaries: StoredSummary[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#n = :name',
        ExpressionAttributeNames: { '#n': 'Name' },
        ExpressionAttributeValues: { ':name': name },
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }));
      for (const item of page.Items ?? []) summaries.push(fromSummaryItem(this.tableName, item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return summaries;
  }

  /**
   * A Query per unicorn over the sort-key range of the asked minutes, keeping those whose current `Version`
   * was not emitted. It reads every item in the range (the filter applies after the read), so callers keep the
   * range short: the aggregation service asks once per unicorn-minute, over the last few minutes.
   */
  async findPending(queries: readonly PendingQuery[]): Promise<PendingWindow[]> {
    const pending: PendingWindow[] = [];
    await forEachConcurrently(queries, this.concurrency, async (query) => {
      if (query.beforeWindowStart <= query.fromWindowStart) return;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#n = :name AND #t BETWEEN :from AND :to',
          FilterExpression: 'attribute_exists(#r) AND (attribute_not_exists(#e) OR #e <> #v)',
          ExpressionAttributeNames: { '#n': 'Name', '#t': 'StatusTime', '#e': 'EmittedVersion', '#v': 'Version', '#r': 'ReadingOffsets' },
          ExpressionAttributeValues: {
            ':name': query.name,
            ':from': summaryStatusTime(query.fromWindowStart),
            ':to': summaryStatusTime(query.beforeWindowStart - 60_000),
          },
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }));
        for (const item of page.Items ?? []) {
          const stored = fromSummaryItem(this.tableName, item);
          pending.push({ partial: stored.partial, version: stored.version });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
    });
    return pending.sort((a, b) => a.partial.name.localeCompare(b.partial.name) || a.partial.windowStart - b.partial.windowStart);
  }

  /** Sets `EmittedVersion`; a merge rewrites the item without it, so a changed minute becomes pending again. */
  async markEmitted(windows: readonly PendingWindow[]): Promise<void> {
    await forEachConcurrently(windows, this.concurrency, async ({ partial, version }) => {
      try {
        await this.client.send(new UpdateCommand(this.markCommand(partial, version)));
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
  }

  /**
   * Sets `EmittedVersion` to `version` (or, to reopen, removes it), only if the item is still at that version: a
   * newer one must stay as it is.
   */
  private markCommand(partial: MinutePartial, version: number, emitted = true) {
    return {
      TableName: this.tableName,
      Key: this.keyOf(partial.name, partial.windowStart),
      UpdateExpression: emitted ? 'SET #e = :v' : 'REMOVE #e',
      ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#e': 'EmittedVersion', '#v': 'Version' },
      ExpressionAttributeValues: { ':v': version },
    };
  }

  /** Live readings replace an imported summary of the same minute (see isImportedSummary). */
  private async mergeWindow(incoming: MinutePartial, initial: StoredSummary | 'imported' | undefined, mark: WindowMark): Promise<MergedWindow> {
    const markEmitted = mark === 'emitted';
    let current = initial === 'imported' ? undefined : initial;
    let replacesImported = initial === 'imported';
    for (let conflicts = 0; ; conflicts++) {
      const merged = current === undefined ? incoming : mergePartials(current.partial, incoming);
      if (merged.offsets.length === 0) return { partial: merged, changed: false, version: 0 };
      try {
        if (current !== undefined && samePartial(merged, current.partial)) {
          // Nothing new. Already as asked (or asked nothing): no write at all (a replay).
          if (mark === 'keep' || markEmitted === current.emitted) return { partial: current.partial, changed: false, version: current.version };
          await this.client.send(new UpdateCommand(this.markCommand(current.partial, current.version, markEmitted)));
          return { partial: current.partial, changed: false, version: current.version };
        }
        const version = (current?.version ?? 0) + 1;
        await this.client.send(new PutCommand(this.conditionalPut(merged, current?.version, replacesImported, markEmitted)));
        return { partial: merged, changed: true, version };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (conflicts >= this.maxConflictRetries) {
          throw new DynamoDbMergeConflictError(this.tableName, incoming.name, summaryStatusTime(incoming.windowStart), conflicts + 1);
        }
      }
      // Jittered, so writers that collided do not collide again on the same beat.
      await this.environment.sleep(backoffDelayMs(conflicts, this.backoff, this.environment.random));
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.keyOf(incoming.name, incoming.windowStart), ConsistentRead: true }));
      replacesImported = Item !== undefined && isImportedSummary(Item);
      current = Item === undefined || replacesImported ? undefined : fromSummaryItem(this.tableName, Item);
    }
  }

  private conditionalPut(merged: MinutePartial, expectedVersion: number | undefined, replacesImported: boolean, emitted: boolean): PutCommandInput {
    const Item = toSummaryItem(merged, (expectedVersion ?? 0) + 1, { emitted });
    if (replacesImported) {
      return {
        TableName: this.tableName, Item,
        ConditionExpression: 'attribute_exists(#n) AND attribute_not_exists(#r)',
        ExpressionAttributeNames: { '#n': 'Name', '#r': 'ReadingOffsets' },
      };
    }
    return versionedPut(this.tableName, Item, expectedVersion);
  }

  private keyOf(name: string, windowStart: number): { Name: string; StatusTime: string } {
    return { Name: name, StatusTime: summaryStatusTime(windowStart) };
  }
}
