/** Errors of the DynamoDB adapters; each carries a stable `code` that callers and logs can match on. */

/** Items DynamoDB still had not processed when the retries ran out (throttling that outlasted the backoff). */
export class DynamoDbWriteError extends Error {
  readonly code = 'DYNAMODB_UNPROCESSED_ITEMS';
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    readonly attempted: number,
  ) {
    super(`${unprocessed} of ${attempted} items to ${tableName} stayed unprocessed after retries`);
    this.name = 'DynamoDbWriteError';
  }
}

/** Keys a BatchGetItem still had not read when the retries ran out. */
export class DynamoDbReadError extends Error {
  readonly code = 'DYNAMODB_UNPROCESSED_KEYS';
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    readonly attempted: number,
  ) {
    super(`${unprocessed} of ${attempted} keys of ${tableName} stayed unprocessed after retries`);
    this.name = 'DynamoDbReadError';
  }
}

/** An item that cannot be written (no key) or a stored item that cannot be read back into the domain. */
export class DynamoDbInvalidItemError extends Error {
  readonly code = 'DYNAMODB_INVALID_ITEM';
  constructor(
    readonly tableName: string,
    message: string,
  ) {
    super(`${tableName}: ${message}`);
    this.name = 'DynamoDbInvalidItemError';
  }
}

/** A window kept losing its conditional write to other writers, more times than the retry budget allows. */
export class DynamoDbMergeConflictError extends Error {
  readonly code = 'DYNAMODB_MERGE_CONFLICT';
  constructor(
    readonly tableName: string,
    readonly unicorn: string,
    readonly statusTime: string,
    readonly attempts: number,
  ) {
    super(`${tableName}: the window ${unicorn} @ ${statusTime} lost ${attempts} conditional writes in a row to other writers`);
    this.name = 'DynamoDbMergeConflictError';
  }
}

/** DynamoDB's answer when a ConditionExpression does not hold; matched by name so a second SDK copy still matches. */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
