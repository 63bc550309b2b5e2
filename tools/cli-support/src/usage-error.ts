/** A bad flag or flag value: the tool prints `<tool>: <message>` with a hint and exits 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
