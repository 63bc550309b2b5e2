/** Errors of the billing meter and the cost model. Each carries a stable `code` so callers and tests never match on wording. */

/** A call or an invocation the meter cannot turn into billed units. */
export class MeterInputError extends Error {
  readonly code = 'BILLING_METER_INVALID_INPUT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'MeterInputError';
  }
}

/** Options the cost model cannot price with: no readings, a negative duration, a stream without a shard count. */
export class CostModelInputError extends Error {
  readonly code = 'COST_MODEL_INVALID_INPUT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'CostModelInputError';
  }
}

/** A price file that lacks a price, or has one that is not a finite, non-negative number. */
export class PriceFileInvalidError extends Error {
  readonly code = 'PRICE_FILE_INVALID' as const;

  constructor(message: string) {
    super(message);
    this.name = 'PriceFileInvalidError';
  }
}
