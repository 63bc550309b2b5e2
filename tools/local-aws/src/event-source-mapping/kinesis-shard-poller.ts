import { GetRecordsCommand, GetShardIteratorCommand, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { SHARD_END_CHECKPOINT } from './checkpoint-store.port';
import type { MappingSettings } from './event-source-mapping.options';
import {
  copyRecord, eventBytes, lambdaContext, onFailureRecord, retryFromIndex, toDeliverableRecord,
  type DeliverableRecord, type EventSourceIdentity, type FailureCondition,
} from './lambda-kinesis-event';

export type IteratorStart =
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestamp: Date };

/** What the pollers of one mapping share. */
export interface ShardPollerRuntime {
  readonly settings: MappingSettings;
  readonly identity: EventSourceIdentity;
  readonly signal: AbortSignal;
  /** A counter that orders poll starts against drain() calls. */
  nextTick(): number;
  changed(): void;
  sleep(ms: number): Promise<void>;
  backoffMs(attempt: number): number;
  /** Retries fn with backoff until it succeeds; gives up (rethrows) only once the mapping is stopping. */
  retrying<T>(what: string, fields: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
}

interface Batch {
  records: DeliverableRecord[];
  /** Retries already spent on these records; bisecting keeps the count, as it is not a retry. */
  retries: number;
}

/**
 * Reads one shard the way Lambda's Kinesis poller does: one batch in flight, records in order, a batch
 * retried (or bisected) until it succeeds or is discarded to the on-failure destination.
 */
export class KinesisShardPoller {
  /** Tick of the last GetRecords that found nothing new while nothing was waiting; -1 once records arrive. */
  tipTick = -1;
  inFlight = false;
  private iterator: string | undefined;
  private ended = false;
  private readonly buffer: DeliverableRecord[] = [];
  private readonly retries: Batch[] = [];
  private apiFailures = 0;
  private behindLatest = 0;

  constructor(readonly shardId: string, private start: IteratorStart, private readonly rt: ShardPollerRuntime) {}

  /** Resolves 'ended' once a closed shard is read, delivered and checkpointed to its end. */
  async run(): Promise<'ended' | 'stopped'> {
    while (!this.rt.signal.aborted) {
      try {
        const batch = await this.nextBatch();
        if (batch === 'ended') {
          await this.checkpoint(SHARD_END_CHECKPOINT);
          return 'ended';
        }
        if (batch) await this.deliver(batch);
      } catch (error) {
        if (this.rt.signal.aborted) break;
        // Not expected (every step retries its own errors), but a poller must outlive its bugs.
        this.rt.settings.log('error', 'shard poller failed; continuing', { shardId: this.shardId, error: String(error) });
        await this.rt.sleep(this.rt.backoffMs(++this.apiFailures));
      }
    }
    return 'stopped';
  }

  /** A batch to deliver, 'ended', or undefined when there is nothing yet (after waiting a poll interval). */
  private async nextBatch(): Promise<Batch | 'ended' | undefined> {
    const retry = this.retries.shift();
    if (retry) return retry;
    const { batchSize, maximumBatchingWindowInSeconds, pollIntervalMs } = this.rt.settings;
    let windowEnds: number | undefined;
    while (!this.rt.signal.aborted) {
      const { count, full } = this.fitting();
      if (count > 0) windowEnds ??= Date.now() + maximumBatchingWindowInSeconds * 1000;
      if (count > 0 && (full || this.ended || Date.now() >= (windowEnds ?? 0))) {
        return { records: this.buffer.splice(0, count), retries: 0 };
      }
      if (this.ended) return 'ended';
      const tick = this.rt.nextTick();
      const fetched = await this.fetch();
      if (fetched === undefined || fetched === batchSize) continue;
      if (this.buffer.length === 0) {
        // Real Kinesis may answer empty while behind (sparse shards): only an empty answer at the tip is idle.
        if (this.ended || this.behindLatest > 0) return undefined;
        this.tipTick = tick;
        this.rt.changed();
        await this.rt.sleep(pollIntervalMs);
        return undefined;
      }
      windowEnds ??= Date.now() + maximumBatchingWindowInSeconds * 1000;
      const wait = Math.min(pollIntervalMs, windowEnds - Date.now());
      if (wait > 0 && !this.fitting().full) await this.rt.sleep(wait);
    }
    return undefined;
  }

  /** How many buffered records the next batch takes, and whether that batch is full (by count or payload). */
  private fitting(): { count: number; full: boolean } {
    const { batchSize, maxPayloadBytes } = this.rt.settings;
    let count = 0;
    let bytes = 0;
    for (const record of this.buffer) {
      if (count === batchSize) return { count, full: true };
      // The first record always goes: Kinesis caps records at 1 MB, far below any sane payload limit.
      if (count > 0 && eventBytes(bytes + record.bytes, count + 1) > maxPayloadBytes) return { count, full: true };
      bytes += record.bytes;
      count += 1;
    }
    return { count, full: count === batchSize };
  }

  /** Appends one GetRecords result to the buffer: the number of records, or undefined after an API error. */
  private async fetch(): Promise<number | undefined> {
    const { kinesis, streamName, batchSize, log } = this.rt.settings;
    try {
      this.iterator ??= await this.shardIterator();
      const out = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: this.iterator, Limit: batchSize }), { abortSignal: this.rt.signal });
      this.apiFailures = 0;
      this.iterator = out.NextShardIterator;
      if (!out.NextShardIterator) this.ended = true;
      const records = out.Records ?? [];
      for (const record of records) this.buffer.push(toDeliverableRecord(record, this.shardId, this.rt.identity));
      const last = records[records.length - 1]?.SequenceNumber;
      if (last) this.start = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
      if (records.length > 0) this.tipTick = -1;
      this.behindLatest = out.MillisBehindLatest ?? 0;
      return records.length;
    } catch (error) {
      if (this.rt.signal.aborted) return undefined;
      // An expired iterator is renewed at once; any other error keeps the iterator, which stays valid for 5 minutes.
      if ((error as Error).name === 'ExpiredIteratorException') {
        this.iterator = undefined;
        return undefined;
      }
      this.apiFailures += 1;
      log('warn', 'Kinesis read failed; retrying', {
        streamName, shardId: this.shardId, attempt: this.apiFailures, error: String(error),
      });
      await this.rt.sleep(this.rt.backoffMs(this.apiFailures));
      return undefined;
    }
  }

  private async shardIterator(): Promise<string> {
    const { kinesis, streamName } = this.rt.settings;
    const start = this.start;
    const out = await kinesis.send(new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: this.shardId,
      ShardIteratorType: start.type satisfies ShardIteratorType,
      StartingSequenceNumber: start.type === 'AFTER_SEQUENCE_NUMBER' ? start.sequenceNumber : undefined,
      Timestamp: start.type === 'AT_TIMESTAMP' ? start.timestamp : undefined,
    }), { abortSignal: this.rt.signal });
    if (!out.ShardIterator) throw new Error(`GetShardIterator returned no iterator for ${this.shardId}`);
    return out.ShardIterator;
  }

  private async deliver(batch: Batch): Promise<void> {
    const { settings } = this.rt;
    const records = await this.withoutExpired(batch);
    // Stopping: what is not delivered yet is not checkpointed either, so the next run delivers it.
    if (records.length === 0 || this.rt.signal.aborted) return;
    const sequenceNumbers = records.map((record) => record.event.kinesis.sequenceNumber);
    this.inFlight = true;
    this.rt.changed();
    let retryFrom: number | undefined;
    let functionError = false;
    try {
      const context = lambdaContext(
        settings.functionName, this.rt.identity.functionArn, settings.timeoutSeconds * 1000, settings.clock);
      const response = await settings.handler({ Records: records.map((record) => copyRecord(record.event)) }, context);
      retryFrom = settings.reportBatchItemFailures ? retryFromIndex(response, sequenceNumbers) : undefined;
    } catch (error) {
      functionError = true;
      retryFrom = 0;
      settings.log('warn', 'function failed', {
        functionName: settings.functionName, shardId: this.shardId, batchSize: records.length, error: String(error),
      });
    }
    try {
      await this.settle({ records, retries: batch.retries }, retryFrom, functionError);
    } finally {
      this.inFlight = false;
      this.rt.changed();
    }
  }

  private async settle(batch: Batch, retryFrom: number | undefined, functionError: boolean): Promise<void> {
    const { bisectBatchOnFunctionError, maximumRetryAttempts, log, functionName } = this.rt.settings;
    const { records } = batch;
    if (retryFrom === undefined) return this.checkpointAfter(records);
    // Lambda checkpoints just before the lowest failed record and retries from there.
    if (retryFrom > 0) await this.checkpointAfter(records.slice(0, retryFrom));
    const failed = records.slice(retryFrom);
    if (bisectBatchOnFunctionError && (retryFrom > 0 || failed.length > 1)) {
      const middle = Math.ceil(failed.length / 2);
      const halves = retryFrom > 0 ? [failed] : [failed.slice(0, middle), failed.slice(middle)];
      this.retries.unshift(...halves.map((half) => ({ records: half, retries: batch.retries })));
      return;
    }
    if (maximumRetryAttempts >= 0 && batch.retries >= maximumRetryAttempts) {
      return this.discard(failed, 'RetryAttemptsExhausted', batch.retries + 1, functionError);
    }
    this.retries.unshift({ records: failed, retries: batch.retries + 1 });
    log('debug', 'retrying batch', { functionName, shardId: this.shardId, retry: batch.retries + 1 });
    await this.rt.sleep(this.rt.backoffMs(batch.retries + 1));
  }

  /** Records older than maximumRecordAgeInSeconds go to the on-failure destination before delivery. */
  private async withoutExpired(batch: Batch): Promise<DeliverableRecord[]> {
    const { maximumRecordAgeInSeconds, clock } = this.rt.settings;
    if (maximumRecordAgeInSeconds < 0) return batch.records;
    const oldestAllowed = clock() / 1000 - maximumRecordAgeInSeconds;
    // Arrival times grow along a shard, so the expired records are a prefix and checkpointing past them skips no other.
    const expired = batch.records.findIndex((record) => record.event.kinesis.approximateArrivalTimestamp >= oldestAllowed);
    const cut = expired < 0 ? batch.records.length : expired;
    if (cut === 0) return batch.records;
    await this.discard(batch.records.slice(0, cut), 'RecordAgeExceeded', batch.retries, batch.retries > 0);
    return batch.records.slice(cut);
  }

  /** Hands discarded records to the on-failure destination (retried until accepted), then moves past them. */
  private async discard(
    records: DeliverableRecord[], condition: FailureCondition, invokeCount: number, functionError: boolean,
  ): Promise<void> {
    const { onFailure, log, functionName } = this.rt.settings;
    const failure = onFailureRecord({
      records, shardId: this.shardId, identity: this.rt.identity, condition, invokeCount, functionError,
      now: this.rt.settings.clock(),
    });
    if (onFailure) {
      log('warn', 'records discarded to the on-failure destination', { functionName, condition, ...failure.KinesisBatchInfo });
      await this.rt.retrying('on-failure destination', { shardId: this.shardId }, () => onFailure(failure));
    } else {
      log('error', 'records discarded (no on-failure destination)', { functionName, failure });
    }
    await this.checkpointAfter(records);
  }

  private async checkpointAfter(records: readonly DeliverableRecord[]): Promise<void> {
    const last = records[records.length - 1];
    if (last) await this.checkpoint(last.event.kinesis.sequenceNumber);
  }

  private async checkpoint(checkpoint: string): Promise<void> {
    const { checkpointStore, streamName, functionName } = this.rt.settings;
    await this.rt.retrying('checkpoint', { shardId: this.shardId },
      () => checkpointStore.save(streamName, functionName, this.shardId, checkpoint));
  }
}
