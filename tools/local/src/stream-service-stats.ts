import type { KinesisStreamEvent } from 'aws-lambda';

export interface StreamServiceStats {
  readonly invocations: number;
  readonly records: number;
  /** Time spent in the handler, summed (what Lambda would bill as duration). */
  readonly handlerMs: number;
  /** Age of the last record of the latest batch when it was handled: Lambda's IteratorAge, the service's lag. */
  readonly iteratorAgeMs: number;
  readonly maxIteratorAgeMs: number;
}

/**
 * Counts what each stream service did, as CloudWatch would show it for a Lambda function: invocations, records,
 * duration and iterator age (how far behind the stream the service is).
 */
export class StreamServiceStatsRecorder {
  private readonly byService = new Map<string, { invocations: number; records: number; handlerMs: number; iteratorAgeMs: number; maxIteratorAgeMs: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Wraps a handler so that each invocation is counted under `service`; `onInvocation` also hears of it (the meter). */
  observe<R>(service: string, handler: (event: KinesisStreamEvent) => Promise<R>, onInvocation?: (durationMs: number) => void) {
    return async (event: KinesisStreamEvent): Promise<R> => {
      const started = performance.now();
      try {
        return await handler(event);
      } finally {
        const durationMs = performance.now() - started;
        const last = event.Records[event.Records.length - 1];
        const ageMs = last === undefined ? 0 : Math.max(0, this.clock() - last.kinesis.approximateArrivalTimestamp * 1000);
        const stats = this.byService.get(service) ?? { invocations: 0, records: 0, handlerMs: 0, iteratorAgeMs: 0, maxIteratorAgeMs: 0 };
        stats.invocations++;
        stats.records += event.Records.length;
        stats.handlerMs += durationMs;
        stats.iteratorAgeMs = ageMs;
        stats.maxIteratorAgeMs = Math.max(stats.maxIteratorAgeMs, ageMs);
        this.byService.set(service, stats);
        onInvocation?.(durationMs);
      }
    };
  }

  snapshot(): Record<string, StreamServiceStats> {
    return Object.fromEntries([...this.byService].map(([service, stats]) => [service, { ...stats, handlerMs: Math.round(stats.handlerMs) }]));
  }
}
