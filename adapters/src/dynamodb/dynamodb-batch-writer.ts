import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk, DEFAULT_BACKOFF, REAL_BACKOFF_ENVIRONMENT, retryUnprocessed, type BackoffEnvironment, type BackoffPolicy } from '../sdk/capped-backoff';
import { forEachConcurrently } from './bounded-concurrency';
import { DynamoDbInvalidItemError, DynamoDbWriteError } from './dynamodb.errors';

/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_MAX_ITEMS = 25;

/** The table's key attributes: the writer needs them to find items with the same key. */
export interface TableKeySchema {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface DynamoDbBatchWriterOptions {
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
  /** BatchWriteItem calls in flight at once. Default 4. */
  readonly concurrency?: number;
}

export interface PutAllOutcome {
  /** Items written (after collapsing duplicate keys). */
  readonly written: number;
  /** Items dropped because a later item had the same key. */
  readonly collapsed: number;
  /** BatchWriteItem calls sent, retries included. */
  readonly calls: number;
  /** Items sent again because DynamoDB returned them in UnprocessedItems. */
  readonly retried: number;
}

type Item = Record<string, unknown>;

/**
 * Puts many items with BatchWriteItem, 25 per call, idempotently: a put replaces the whole item, so writing the
 * same file twice leaves the same table.
 *
 * Items with the same key are collapsed before chunking, and **the later item wins** (it replaces the earlier one
 * whole, as a second PutItem would). DynamoDB rejects a whole call that holds one key twice ("Provided list of
 * item keys contains duplicates"); collapsing across the whole input, not only inside one chunk, also keeps two
 * chunks in flight at once from racing on one key and letting the earlier item land last.
 *
 * `UnprocessedItems` are retried with capped, jittered backoff; items still unprocessed when the retries run out
 * fail the call with DynamoDbWriteError (DYNAMODB_UNPROCESSED_ITEMS), which says how many. BatchWriteItem saves
 * round trips, not write units: each item ≤ 1 KB still costs 1 WRU.
 */
export class DynamoDbBatchWriter {
  private readonly backoff: BackoffPolicy;
  private readonly environment: BackoffEnvironment;
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly key: TableKeySchema,
    options: DynamoDbBatchWriterOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.environment = options.environment ?? REAL_BACKOFF_ENVIRONMENT;
    this.concurrency = options.concurrency ?? 4;
  }

  /** Items are plain objects as lib-dynamodb marshals them (typed interfaces such as WorkshopReadingRecord welcome). */
  async putAll(tableName: string, items: readonly object[]): Promise<PutAllOutcome> {
    const byKey = new Map<string, Item>();
    for (const item of items as readonly Item[]) {
      const key = this.keyOf(tableName, item);
      // Delete first so the surviving item takes the later position, as the last write would on the table.
      byKey.delete(key);
      byKey.set(key, item);
    }
    const distinct = [...byKey.values()];
    let calls = 0;
    let retried = 0;
    let unprocessed = 0;
    await forEachConcurrently(chunk(distinct, BATCH_WRITE_MAX_ITEMS), this.concurrency, async (itemsOfCall) => {
      const outcome = await retryUnprocessed<Item>(
        itemsOfCall,
        async (pending) => {
          calls++;
          const output = await this.client.send(new BatchWriteCommand({
            RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }));
          return (output.UnprocessedItems?.[tableName] ?? []).flatMap((request) => (request.PutRequest?.Item ? [request.PutRequest.Item] : []));
        },
        this.backoff,
        this.environment,
      );
      retried += outcome.retried;
      unprocessed += outcome.unsent.length;
    });
    if (unprocessed > 0) throw new DynamoDbWriteError(tableName, unprocessed, distinct.length);
    return { written: distinct.length, collapsed: items.length - distinct.length, calls, retried };
  }

  private keyOf(tableName: string, item: Item): string {
    const { partitionKey, sortKey } = this.key;
    const hash = item[partitionKey];
    const range = sortKey === undefined ? null : item[sortKey];
    if (hash === undefined || hash === null || (sortKey !== undefined && (range === undefined || range === null))) {
      throw new DynamoDbInvalidItemError(tableName, `an item lacks its key (${[partitionKey, sortKey].filter(Boolean).join(', ')})`);
    }
    return JSON.stringify([keyPart(hash), keyPart(range)]);
  }
}

/** Key values are strings, numbers or binary; binary is compared by its bytes. */
const keyPart = (value: unknown): unknown => (value instanceof Uint8Array ? ['B', Buffer.from(value).toString('base64')] : value);
