import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { PutOutcome, RejectedPut, TelemetryRecord, TelemetryStream } from '@wildrydes/domain';
import {
  DEFAULT_BACKOFF,
  REAL_BACKOFF_ENVIRONMENT,
  retryUnprocessed,
  type BackoffEnvironment,
  type BackoffPolicy,
} from '../sdk/capped-backoff';
import { localRejection, putRecordsBatches, RETRYABLE_CALL_ERRORS, RETRYABLE_ENTRY_ERRORS } from '@wildrydes/domain';

export interface KinesisTelemetryStreamOptions {
  readonly backoff?: BackoffPolicy;
  readonly environment?: BackoffEnvironment;
}

interface Pending {
  readonly index: number;
  readonly record: TelemetryRecord;
}

/**
 * Puts telemetry on a Kinesis stream with PutRecords, within the service limits (500 records and 5 MiB a call,
 * 1 MiB a record with its partition key).
 *
 * Ordering: records go out in the order given, batch after batch, so records of one partition key reach their
 * shard in order as long as nothing fails. PutRecords does not guarantee order across a partial failure: an entry
 * that was throttled is resent after the later entries of the same call (and of later calls), so it lands after
 * them. That is Kinesis's own PutRecords semantics; a caller needing strict per-key order must use sequence
 * numbers (PutRecord with SequenceNumberForOrdering), at one call per record. Consumers here key readings by
 * (Name, StatusTime), so a reordered reading is harmless.
 */
export class KinesisTelemetryStream implements TelemetryStream {
  private readonly backoff: BackoffPolicy;
  private readonly environment: BackoffEnvironment;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: KinesisTelemetryStreamOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.environment = options.environment ?? REAL_BACKOFF_ENVIRONMENT;
  }

  async put(records: readonly TelemetryRecord[]): Promise<PutOutcome> {
    const rejected: (RejectedPut & { index: number })[] = [];
    const sendable: Pending[] = [];
    records.forEach((record, index) => {
      const refusal = localRejection(record);
      if (refusal) rejected.push({ index, record, ...refusal });
      else sendable.push({ index, record });
    });

    let accepted = 0;
    const lastError = new Map<Pending, { errorCode: string; errorMessage: string }>();
    const attempt = async (items: readonly Pending[]): Promise<Pending[]> => {
      const retry: Pending[] = [];
      for (const batch of putRecordsBatches(items, (item) => item.record)) {
        const outcome = await this.send(batch, lastError);
        accepted += outcome.accepted;
        retry.push(...outcome.retry);
        rejected.push(...outcome.rejected);
      }
      return retry;
    };
    const { unsent, retried } = await retryUnprocessed(sendable, attempt, this.backoff, this.environment);
    for (const item of unsent) {
      const error = lastError.get(item) ?? { errorCode: 'Unknown', errorMessage: 'no error reported' };
      rejected.push({ index: item.index, record: item.record, ...error });
    }

    rejected.sort((a, b) => a.index - b.index);
    return { accepted, rejected: rejected.map(({ record, errorCode, errorMessage }) => ({ record, errorCode, errorMessage })), throttled: retried };
  }

  private async send(
    batch: readonly Pending[],
    lastError: Map<Pending, { errorCode: string; errorMessage: string }>,
  ): Promise<{ accepted: number; retry: Pending[]; rejected: (RejectedPut & { index: number })[] }> {
    let output;
    try {
      output = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: batch.map(({ record }) => ({ PartitionKey: record.partitionKey, Data: record.data })),
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      if (!RETRYABLE_CALL_ERRORS.has(name)) throw error;
      for (const item of batch) lastError.set(item, { errorCode: name, errorMessage: (error as Error).message });
      return { accepted: 0, retry: [...batch], rejected: [] };
    }

    const entries = output.Records ?? [];
    let accepted = 0;
    const retry: Pending[] = [];
    const rejected: (RejectedPut & { index: number })[] = [];
    batch.forEach((item, i) => {
      const entry = entries[i];
      // The response has one entry per request entry, in order; a missing one cannot be trusted as accepted.
      const errorCode = entry === undefined ? 'InternalFailure' : entry.ErrorCode;
      if (errorCode === undefined) {
        accepted += 1;
        return;
      }
      const error = { errorCode, errorMessage: entry?.ErrorMessage ?? 'no entry in the PutRecords response' };
      if (RETRYABLE_ENTRY_ERRORS.has(errorCode)) {
        lastError.set(item, error);
        retry.push(item);
      } else {
        rejected.push({ index: item.index, record: item.record, ...error });
      }
    });
    return { accepted, retry, rejected };
  }
}
