/** A bench run that cannot go on; the CLI prints the message in one line and exits 1. */
export class BenchError extends Error {
  constructor(
    readonly code: 'STACK_ALREADY_RUNNING' | 'STACK_FAILED' | 'PRODUCER_FAILED' | 'QUERY_FAILED' | 'SUBSCRIBER_FAILED' | 'INTERRUPTED' | 'DASHBOARD_BENCH_FAILED'
      | 'COST_WINDOW_EMPTY' | 'COST_WINDOW_MISSED',
    message: string,
  ) {
    super(message);
    this.name = 'BenchError';
  }
}
