import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk, DEFAULT_BACKOFF, REAL_BACKOFF_ENVIRONMENT, retryUnprocessed, type BackoffEnvironment, type BackoffPolicy } from '../sdk/capped-backoff';
import { DynamoDbReadError } from './dynamodb.errors';

/** BatchGetItem's limit of keys per call. */
export const BATCH_GET_MAX_KEYS = 100;

export type DynamoDbKey = Record<string, string | number>;
export type DynamoDbItem = Record<string, unknown>;

export interface BatchGetOptions {
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
  /** Strongly consistent reads cost twice as much; the stores read eventually consistent and re-read on conflict. */
  readonly consistentRead?: boolean;
}

/**
 * Reads the items with these keys (absent ones are simply missing from the result), in calls of at most 100
 * distinct keys — BatchGetItem rejects a call holding the same key twice, so keys are deduplicated first.
 * UnprocessedKeys (throttling, or the 16 MB response cap) are retried with capped, jittered backoff;
 * a key still unread after the retries fails the read with DynamoDbReadError.
 */
export async function batchGetItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly DynamoDbKey[],
  options: BatchGetOptions = {},
): Promise<DynamoDbItem[]> {
  const distinct = [...new Map(keys.map((key) => [keyString(key), key])).values()];
  const items: DynamoDbItem[] = [];
  for (const keysOfCall of chunk(distinct, BATCH_GET_MAX_KEYS)) {
    const { unsent } = await retryUnprocessed<DynamoDbKey>(
      keysOfCall,
      async (pending) => {
        const output = await client.send(new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: [...pending], ...(options.consistentRead ? { ConsistentRead: true } : {}) },
          },
        }));
        items.push(...(output.Responses?.[tableName] ?? []));
        return (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as DynamoDbKey[];
      },
      options.backoff ?? DEFAULT_BACKOFF,
      options.environment ?? REAL_BACKOFF_ENVIRONMENT,
    );
    if (unsent.length > 0) throw new DynamoDbReadError(tableName, unsent.length, keysOfCall.length);
  }
  return items;
}

/** A key's identity whatever the order of its attributes. */
export const keyString = (key: DynamoDbKey): string =>
  JSON.stringify(Object.keys(key).sort().map((attribute) => [attribute, key[attribute]]));
