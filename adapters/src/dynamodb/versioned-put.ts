import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * A PutItem that succeeds only if the item is still at the version the writer read (absent: not stored yet). Both
 * stores write this way, so a writer that lost a race learns it from ConditionalCheckFailed instead of
 * overwriting a newer state.
 */
export function versionedPut(tableName: string, item: object, expectedVersion: number | undefined): PutCommandInput {
  return expectedVersion === undefined
    ? {
      TableName: tableName, Item: item as Record<string, unknown>,
      ConditionExpression: 'attribute_not_exists(#n)',
      ExpressionAttributeNames: { '#n': 'Name' },
    }
    : {
      TableName: tableName, Item: item as Record<string, unknown>,
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { '#v': 'Version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
}
