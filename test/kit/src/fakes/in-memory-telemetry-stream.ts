import type { PutOutcome, RejectedPut, TelemetryRecord, TelemetryStream } from '@wildrydes/domain';
import { localRejection, RETRYABLE_ENTRY_ERRORS } from '@wildrydes/domain';

/** As many retries as the Kinesis adapter's default backoff allows. */
const DEFAULT_MAX_RETRIES = 8;

/** What the fake stream answers for one entry on one attempt (0 for the first send): undefined accepts it. */
export type PutFailureMode = (
  record: TelemetryRecord,
  attempt: number,
) => { readonly errorCode: string; readonly errorMessage?: string } | undefined;

export interface InMemoryTelemetryStreamOptions {
  readonly failureMode?: PutFailureMode;
  /** Retries of a retryable entry after its first attempt, as the Kinesis adapter's backoff policy would allow. */
  readonly maxRetries?: number;
}

/**
 * A TelemetryStream kept in memory, per partition key, with the Kinesis adapter's rules: oversize records and
 * bad partition keys are rejected unsent, retryable entry errors are retried (and land after the later records,
 * as on Kinesis), other entry errors are rejected at once.
 */
export class InMemoryTelemetryStream implements TelemetryStream {
  private readonly byKey = new Map<string, TelemetryRecord[]>();
  private readonly ordered: TelemetryRecord[] = [];
  private readonly maxRetries: number;
  private failureMode: PutFailureMode | undefined;

  constructor(options: InMemoryTelemetryStreamOptions = {}) {
    this.failureMode = options.failureMode;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  /** Changes (or with undefined, clears) the injected failures for later puts. */
  failWith(failureMode: PutFailureMode | undefined): void {
    this.failureMode = failureMode;
  }

  async put(records: readonly TelemetryRecord[]): Promise<PutOutcome> {
    const rejected: (RejectedPut & { index: number })[] = [];
    let pending: { index: number; record: TelemetryRecord }[] = [];
    records.forEach((record, index) => {
      const refusal = localRejection(record);
      if (refusal) rejected.push({ index, record, ...refusal });
      else pending.push({ index, record });
    });

    let accepted = 0;
    let throttled = 0;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) throttled += pending.length;
      const retry: typeof pending = [];
      for (const item of pending) {
        const failure = this.failureMode?.(item.record, attempt);
        if (failure === undefined) {
          this.append(item.record);
          accepted += 1;
          continue;
        }
        const refusal = { index: item.index, record: item.record, errorCode: failure.errorCode, errorMessage: failure.errorMessage ?? failure.errorCode };
        if (RETRYABLE_ENTRY_ERRORS.has(failure.errorCode) && attempt < this.maxRetries) retry.push(item);
        else rejected.push(refusal);
      }
      pending = retry;
    }
    rejected.sort((a, b) => a.index - b.index);
    return { accepted, rejected: rejected.map(({ record, errorCode, errorMessage }) => ({ record, errorCode, errorMessage })), throttled };
  }

  /** The records of one partition key, in the order the stream took them. */
  recordsFor(partitionKey: string): TelemetryRecord[] {
    return [...(this.byKey.get(partitionKey) ?? [])];
  }

  partitionKeys(): string[] {
    return [...this.byKey.keys()];
  }

  /** Every record in the order the stream took them. */
  records(): TelemetryRecord[] {
    return [...this.ordered];
  }

  private append(record: TelemetryRecord): void {
    // Copied, so a caller reusing its buffer cannot change what was "sent".
    const stored: TelemetryRecord = { partitionKey: record.partitionKey, data: Uint8Array.from(record.data) };
    this.ordered.push(stored);
    const list = this.byKey.get(record.partitionKey);
    if (list) list.push(stored);
    else this.byKey.set(record.partitionKey, [stored]);
  }
}
