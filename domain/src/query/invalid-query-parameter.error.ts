/** A workshop query parameter was not in the accepted format; nothing was sent to the engine. */
export class InvalidQueryParameterError extends Error {
  readonly code = 'INVALID_QUERY_PARAMETER' as const;

  constructor(
    readonly parameter: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid ${parameter} ${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidQueryParameterError';
  }
}
