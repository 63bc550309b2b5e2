import { GetShardIteratorCommand, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { sdkGetRecords } from '@wildrydes/adapters/kinesis';
import type { Context } from 'aws-lambda';
import { SHARD_END_CHECKPOINT, type ShardCheckpoint } from './checkpoint-store.port';
import type { MappingSettings } from './event-source-mapping.options';
import {
  copyRecord, eventBytes, lambdaContext, onFailureRecord, retryFromIndex, stateOf, toDeliverableRecord, tumblingWindowEvent,
  windowOf, windowTime, type DeliverableRecord, type EventSourceIdentity, type FailureCondition, type WindowBounds,
} from './lambda-kinesis-event';
import { ChaoticInvoker, type ChaosOutcome, type ReplayChaosCounts } from './replay-chaos';
import type { StreamRecord } from './raw-get-records';
import { BEFORE_FIRST_RECORD, type SharedShardReaderLease } from './shared-shard-reader';

export type IteratorStart =
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestamp: Date };

/** What the pollers of one mapping share. */
export interface ShardPollerRuntime {
  readonly settings: MappingSettings;
  readonly identity: EventSourceIdentity;
  readonly signal: AbortSignal;
  /** The shared shard reader, when the mapping uses one. */
  readonly shared: SharedShardReaderLease | undefined;
  /** What the replay mode did, summed over the mapping's shards. */
  readonly chaosCounts: ReplayChaosCounts;
  /** A counter that orders poll starts against drain() calls. */
  nextTick(): number;
  changed(): void;
  sleep(ms: number): Promise<void>;
  backoffMs(attempt: number): number;
  /** The wait before the `retry`th retry of a failed batch. */
  retryBackoffMs(retry: number): number;
  /** Retries fn with backoff until it succeeds; gives up (rethrows) only once the mapping is stopping. */
  retrying<T>(what: string, fields: Record<string, unknown>, fn: () => Promise<T>): Promise<T>;
}

interface Batch {
  records: DeliverableRecord[];
  /** Retries already spent on these records; bisecting keeps the count, as it is not a retry. */
  retries: number;
}

/** The tumbling window a shard is in, with the state its last successful invocation returned. */
interface OpenWindowState {
  bounds: WindowBounds;
  state: Record<string, unknown>;
  /** The state's size as JSON: it travels in the same payload as the records. */
  stateBytes: number;
}

/** Room kept in a tumbling-window payload for `window`, `shardId`, `eventSourceARN` and the flags. */
const WINDOW_ENVELOPE_BYTES = 512;

/** What one invocation of a tumbling-window batch came to. */
type WindowOutcome =
  | { kind: 'succeeded'; state: Record<string, unknown>; bytes: number }
  | { kind: 'failed'; retryFrom: number; functionError: boolean }
  | { kind: 'crashed' };

/**
 * Reads one shard the way Lambda's Kinesis poller does: one batch in flight, records in order, a batch
 * retried (or bisected) until it succeeds or is discarded to the on-failure destination.
 */
export class KinesisShardPoller {
  /** Tick of the last GetRecords that found nothing new while nothing was waiting; -1 once records arrive. */
  tipTick = -1;
  inFlight = false;

  /** A tumbling window is open: its state (e.g. open minutes) has not had its final invocation yet. */
  get windowOpen(): boolean {
    return this.window !== undefined;
  }
  private iterator: string | undefined;
  private ended = false;
  private readonly buffer: DeliverableRecord[] = [];
  private readonly retries: Batch[] = [];
  private apiFailures = 0;
  private behindLatest = 0;
  /** The sequence number last saved, saved again with the window when only the window changes. */
  private lastCheckpoint: string | undefined;
  private window: OpenWindowState | undefined;
  /** Where this poller began, to begin there again after a crash with nothing checkpointed. */
  private readonly initialStart: IteratorStart;
  /** Set in the replay mode only. */
  private readonly chaos: ChaoticInvoker | undefined;

  /** `resume` is the checkpoint `start` comes from, if any: with tumbling windows it holds the open window. */
  constructor(
    readonly shardId: string, private start: IteratorStart, private readonly rt: ShardPollerRuntime, resume?: ShardCheckpoint,
  ) {
    this.initialStart = start;
    this.resumeFrom(resume);
    const { replayChaos, functionName } = rt.settings;
    this.chaos = replayChaos === undefined ? undefined : new ChaoticInvoker(replayChaos, functionName, shardId, rt.chaosCounts);
  }

  private resumeFrom(checkpoint: ShardCheckpoint | undefined): void {
    this.lastCheckpoint = checkpoint?.sequenceNumber;
    this.window = undefined;
    if (checkpoint?.window && this.rt.settings.tumblingWindowInSeconds > 0) {
      const { start: windowStart, end, state } = checkpoint.window;
      this.window = {
        bounds: { startMs: Date.parse(windowStart), endMs: Date.parse(end) }, state, stateBytes: Buffer.byteLength(JSON.stringify(state)),
      };
    }
  }

  /**
   * After a crashed invocation (replay mode): forget everything read and not checkpointed, and read again from the
   * saved checkpoint with the window state saved with it, as a new poller would after a restart.
   */
  private async restartFromCheckpoint(): Promise<void> {
    const { checkpointStore, streamName, functionName, log } = this.rt.settings;
    const saved = await this.rt.retrying('checkpoint load', { shardId: this.shardId },
      () => checkpointStore.load(streamName, functionName, this.shardId));
    this.buffer.length = 0;
    this.retries.length = 0;
    this.iterator = undefined;
    this.ended = false;
    this.start = saved === undefined ? this.initialStart : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: saved.sequenceNumber };
    this.resumeFrom(saved);
    log('info', 'replay mode: invocation abandoned; restarting from the checkpoint', { functionName, shardId: this.shardId, checkpoint: saved?.sequenceNumber });
  }

  /** One invocation: straight, or through the replay mode's redeliveries, forced failures and crashes. */
  private async invoke<T>(call: () => Promise<T>): Promise<ChaosOutcome<T>> {
    if (this.chaos) return this.chaos.invoke(call);
    try {
      return { kind: 'answered', response: await call() };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /** Resolves 'ended' once a closed shard is read, delivered and checkpointed to its end. */
  async run(): Promise<'ended' | 'stopped'> {
    while (!this.rt.signal.aborted) {
      try {
        const batch = await this.nextBatch();
        if (batch === 'ended') {
          await this.checkpoint(SHARD_END_CHECKPOINT);
          return 'ended';
        }
        if (batch === 'close-window') await this.closeWindow(false);
        else if (batch) await this.deliver(batch);
      } catch (error) {
        if (this.rt.signal.aborted) break;
        // Not expected (every step retries its own errors), but a poller must outlive its bugs.
        this.rt.settings.log('error', 'shard poller failed; continuing', { shardId: this.shardId, error: String(error) });
        await this.rt.sleep(this.rt.backoffMs(++this.apiFailures));
      }
    }
    await this.chaos?.settled();
    return 'stopped';
  }

  /**
   * A batch to deliver, 'ended', 'close-window' when the open tumbling window is over, or undefined when there is
   * nothing yet (after waiting a poll interval).
   */
  private async nextBatch(): Promise<Batch | 'ended' | 'close-window' | undefined> {
    const retry = this.retries.shift();
    if (retry) return retry;
    const { batchSize, maximumBatchingWindowInSeconds, pollIntervalMs } = this.rt.settings;
    let windowEnds: number | undefined;
    while (!this.rt.signal.aborted) {
      const { count, full } = this.fitting();
      // A record of a later tumbling window: the open one is over, and it is closed before the next one starts.
      if (count > 0 && this.window && this.windowFor(this.buffer[0]!).startMs !== this.window.bounds.startMs) {
        return 'close-window';
      }
      if (count > 0) windowEnds ??= Date.now() + maximumBatchingWindowInSeconds * 1000;
      if (count > 0 && (full || this.ended || Date.now() >= (windowEnds ?? 0))) {
        return { records: this.buffer.splice(0, count), retries: 0 };
      }
      // Lambda considers a tumbling window closed when its shard ends; the children start with a fresh state.
      if (this.ended) return this.window ? 'close-window' : 'ended';
      const tick = this.rt.nextTick();
      const readAt = Date.now();
      const fetched = await this.fetch();
      if (fetched === undefined || fetched === batchSize) continue;
      if (this.buffer.length === 0) {
        // Real Kinesis may answer empty while behind (sparse shards): only an empty answer at the tip is idle.
        if (this.ended || this.behindLatest > 0) return undefined;
        // Arrival times are stamped on put, so once a read that started after the window's end finds the tip
        // empty, no record of that window can come any more.
        if (this.window && readAt >= this.window.bounds.endMs) return 'close-window';
        this.tipTick = tick;
        this.rt.changed();
        await this.rt.sleep(this.idleWaitMs());
        return undefined;
      }
      windowEnds ??= Date.now() + maximumBatchingWindowInSeconds * 1000;
      const wait = Math.min(pollIntervalMs, windowEnds - Date.now());
      if (wait > 0 && !this.fitting().full) await this.rt.sleep(wait);
    }
    return undefined;
  }

  /** At the tip: one poll interval, or less when the open tumbling window ends sooner. */
  private idleWaitMs(): number {
    const { pollIntervalMs } = this.rt.settings;
    return this.window ? Math.max(1, Math.min(pollIntervalMs, this.window.bounds.endMs - Date.now())) : pollIntervalMs;
  }

  /**
   * The tumbling window of a record, by its arrival time. Arrival times grow along a shard; one stamped before the
   * open window (the clock stepped back) joins the open window rather than reopening a closed one.
   */
  private windowFor(record: DeliverableRecord): WindowBounds {
    const bounds = windowOf(record.event.kinesis.approximateArrivalTimestamp, this.rt.settings.tumblingWindowInSeconds);
    return this.window && bounds.startMs < this.window.bounds.startMs ? this.window.bounds : bounds;
  }

  /**
   * How many buffered records the next batch takes, and whether that batch is full (by count, payload, or, with
   * tumbling windows, because the next record belongs to another window: a batch never spans two windows). With
   * windows, the payload also carries the state the batch will be given.
   */
  private fitting(): { count: number; full: boolean } {
    const { batchSize, tumblingWindowInSeconds } = this.rt.settings;
    const head = this.buffer[0];
    const windowStart = tumblingWindowInSeconds > 0 && head ? this.windowFor(head).startMs : undefined;
    const state = windowStart !== undefined && this.window?.bounds.startMs === windowStart ? this.window.stateBytes : 2;
    const maxPayloadBytes = this.rt.settings.maxPayloadBytes - (windowStart === undefined ? 0 : WINDOW_ENVELOPE_BYTES + state);
    let count = 0;
    let bytes = 0;
    for (const record of this.buffer) {
      if (count === batchSize) return { count, full: true };
      if (windowStart !== undefined && this.windowFor(record).startMs !== windowStart) return { count, full: true };
      // The first record always goes: Kinesis caps records at 1 MB, far below any sane payload limit.
      if (count > 0 && eventBytes(bytes + record.bytes, count + 1) > maxPayloadBytes) return { count, full: true };
      bytes += record.bytes;
      count += 1;
    }
    return { count, full: count === batchSize };
  }

  /**
   * Appends one read to the buffer: from the shared reader while this shard's position is in its buffer, else one
   * GetRecords of its own. The number of records, or undefined after an API error.
   */
  private async fetch(): Promise<number | undefined> {
    const shared = await this.readShared();
    if (shared !== undefined) return shared;
    const { kinesis, streamName, batchSize, log, shardReader } = this.rt.settings;
    try {
      this.iterator ??= await this.shardIterator();
      // Read alone the way the shared reader reads (on the local stack, without the SDK's deserializer).
      const out = await (shardReader ? shardReader.getRecords : sdkGetRecords(kinesis))(this.iterator, batchSize, this.rt.signal);
      this.apiFailures = 0;
      this.iterator = out.NextShardIterator;
      return this.take(out.Records ?? [], !out.NextShardIterator, out.MillisBehindLatest ?? 0);
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

  /** A read from the shared reader, or undefined when there is none or this position is not in its buffer. */
  private async readShared(): Promise<number | undefined> {
    const { shared, signal, settings } = this.rt;
    const { start } = this;
    // LATEST and AT_TIMESTAMP are no position in the buffer: such a shard reads alone until its first record.
    const position = start.type === 'AFTER_SEQUENCE_NUMBER' ? start.sequenceNumber
      : start.type === 'TRIM_HORIZON' ? BEFORE_FIRST_RECORD : undefined;
    if (!shared || position === undefined) return undefined;
    const out = await shared.read(this.shardId, position, settings.batchSize, signal);
    if (!out) return undefined;
    // The own iterator is dropped: if this shard falls out of the buffer, it starts again from its position.
    this.iterator = undefined;
    return this.take(out.records, out.ended, out.millisBehindLatest);
  }

  private take(records: readonly StreamRecord[], ended: boolean, millisBehindLatest: number): number {
    if (ended) this.ended = true;
    for (const record of records) this.buffer.push(toDeliverableRecord(record, this.shardId, this.rt.identity));
    const last = records[records.length - 1]?.SequenceNumber;
    if (last) this.start = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last };
    if (records.length > 0) this.tipTick = -1;
    this.behindLatest = millisBehindLatest;
    return records.length;
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
    if (settings.tumblingWindowInSeconds > 0) return this.deliverToWindow({ records, retries: batch.retries });
    const sequenceNumbers = records.map((record) => record.event.kinesis.sequenceNumber);
    this.inFlight = true;
    this.rt.changed();
    let retryFrom: number | undefined;
    let functionError = false;
    const outcome = await this.invoke(async () => settings.handler({ Records: records.map((record) => copyRecord(record.event)) }, this.context()));
    if (outcome.kind === 'answered') {
      retryFrom = settings.reportBatchItemFailures ? retryFromIndex(outcome.response, sequenceNumbers) : undefined;
    } else if (outcome.kind === 'failed') {
      functionError = true;
      retryFrom = 0;
      settings.log('warn', 'function failed', {
        functionName: settings.functionName, shardId: this.shardId, batchSize: records.length, error: String(outcome.error),
      });
    }
    try {
      if (outcome.kind === 'crashed') await this.restartFromCheckpoint();
      else await this.settle({ records, retries: batch.retries }, retryFrom, functionError);
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
    await this.rt.sleep(this.rt.retryBackoffMs(batch.retries + 1));
  }

  private context(): Context {
    const { functionName, timeoutSeconds, clock } = this.rt.settings;
    return lambdaContext(functionName, this.rt.identity.functionArn, timeoutSeconds * 1000, clock);
  }

  /**
   * Delivers a batch of one tumbling window with the state of the window's last successful invocation. The state
   * and the checkpoint advance together, and only on success: a failed invocation is retried with the state it was
   * given, never with one it half-updated.
   */
  private async deliverToWindow(batch: Batch): Promise<void> {
    const { records } = batch;
    const bounds = this.windowFor(records[0]!);
    if (this.window && this.window.bounds.startMs !== bounds.startMs) {
      await this.closeWindow(false);
      // Stopping with the old window still open: this batch is not checkpointed, so the next run delivers it.
      if (this.window) return;
    }
    this.inFlight = true;
    this.rt.changed();
    try {
      await this.invokeAndSettleWindow(batch, bounds);
    } finally {
      this.inFlight = false;
      this.rt.changed();
    }
  }

  private async invokeAndSettleWindow(batch: Batch, bounds: WindowBounds): Promise<void> {
    const { records } = batch;
    const given = this.window?.state ?? {};
    const outcome = await this.invokeWindow(records, bounds, given);
    if (outcome.kind === 'crashed') return this.restartFromCheckpoint();
    if (outcome.kind === 'failed') return this.retryWindowBatch(batch, outcome.retryFrom, outcome.functionError);
    if (outcome.bytes <= this.rt.settings.maxStateBytes) {
      this.window = { bounds, state: outcome.state, stateBytes: outcome.bytes };
      return this.checkpointAfter(records);
    }
    this.rt.settings.log('warn', 'function returned a state over maxStateBytes', {
      functionName: this.rt.settings.functionName, shardId: this.shardId, bytes: outcome.bytes,
    });
    if (Object.keys(given).length === 0) {
      // Nothing to hand over: ending the window early cannot help, so the batch fails (bisecting can shrink it).
      return this.retryWindowBatch(batch, 0, true);
    }
    // The window ends early: the last state that fit is handed over, then the same window goes on with a fresh
    // state, starting again with this batch.
    await this.closeWindow(true);
    if (this.window?.bounds.startMs === bounds.startMs && Object.keys(this.window.state).length === 0) {
      this.retries.unshift(batch);
    }
  }

  private async invokeWindow(
    records: DeliverableRecord[], bounds: WindowBounds, state: Record<string, unknown>,
  ): Promise<WindowOutcome> {
    const { settings } = this.rt;
    const event = tumblingWindowEvent({
      records, window: bounds, state, shardId: this.shardId, identity: this.rt.identity,
      isFinalInvokeForWindow: false, isWindowTerminatedEarly: false,
    });
    const fields = { functionName: settings.functionName, shardId: this.shardId, batchSize: records.length };
    // Each delivery gets its own copy of the event, as two Lambda invocations would.
    const outcome = await this.invoke(async () => settings.handler(structuredClone(event), this.context()));
    if (outcome.kind === 'crashed') return outcome;
    if (outcome.kind === 'failed') {
      settings.log('warn', 'function failed', { ...fields, error: String(outcome.error) });
      return { kind: 'failed', retryFrom: 0, functionError: true };
    }
    const response: unknown = outcome.response;
    const returned = stateOf(response);
    if (!returned) {
      settings.log('warn', 'function returned no state', fields);
      return { kind: 'failed', retryFrom: 0, functionError: true };
    }
    const sequenceNumbers = records.map((record) => record.event.kinesis.sequenceNumber);
    const retryFrom = settings.reportBatchItemFailures ? retryFromIndex(response, sequenceNumbers) : undefined;
    if (retryFrom !== undefined) return { kind: 'failed', retryFrom, functionError: false };
    return { kind: 'succeeded', ...returned };
  }

  /**
   * A failed window batch is retried whole, from the state it was given: a state returned with batch item failures
   * may already count records after the failure, so neither it nor a checkpoint inside the batch is kept. Bisecting
   * splits at the reported record (or in the middle) and delivers both halves in order.
   */
  private async retryWindowBatch(batch: Batch, retryFrom: number, functionError: boolean): Promise<void> {
    const { bisectBatchOnFunctionError, maximumRetryAttempts, log, functionName } = this.rt.settings;
    const { records, retries } = batch;
    if (bisectBatchOnFunctionError && records.length > 1) {
      const at = retryFrom > 0 ? retryFrom : Math.ceil(records.length / 2);
      this.retries.unshift({ records: records.slice(0, at), retries }, { records: records.slice(at), retries });
      return;
    }
    if (maximumRetryAttempts >= 0 && retries >= maximumRetryAttempts) {
      return this.discard(records, 'RetryAttemptsExhausted', retries + 1, functionError);
    }
    this.retries.unshift({ records, retries: retries + 1 });
    log('debug', 'retrying batch', { functionName, shardId: this.shardId, retry: retries + 1 });
    await this.rt.sleep(this.rt.retryBackoffMs(retries + 1));
  }

  /**
   * The final invocation of the open window: no records, the window's state, isFinalInvokeForWindow. Lambda
   * suspends the shard until it succeeds, so it is retried (with backoff) until it does or the mapping stops.
   * Afterwards the state is dropped, or, for a window ended early, the window goes on with a fresh state.
   */
  private async closeWindow(early: boolean): Promise<void> {
    const open = this.window;
    if (!open) return;
    const { settings } = this.rt;
    const fields = {
      functionName: settings.functionName, shardId: this.shardId, window: windowTime(open.bounds.startMs), early,
    };
    this.inFlight = true;
    this.rt.changed();
    try {
      for (let attempt = 1; !this.rt.signal.aborted; attempt += 1) {
        const event = tumblingWindowEvent({
          records: [], window: open.bounds, state: open.state, shardId: this.shardId, identity: this.rt.identity,
          isFinalInvokeForWindow: true, isWindowTerminatedEarly: early,
        });
        let failure: string | undefined;
        // A crash here is retried like a failure: the window's state is the same either way.
        const outcome = await this.invoke(async () => settings.handler(structuredClone(event), this.context()));
        if (outcome.kind === 'crashed') failure = 'invocation abandoned (replay mode)';
        else if (outcome.kind === 'failed') failure = String(outcome.error);
        else if (!stateOf(outcome.response)) failure = 'function returned no state';
        else if (settings.reportBatchItemFailures && retryFromIndex(outcome.response, []) !== undefined) {
          failure = 'function reported batch item failures';
        }
        if (failure === undefined) {
          this.window = early ? { bounds: open.bounds, state: {}, stateBytes: 2 } : undefined;
          if (this.lastCheckpoint !== undefined) await this.checkpoint(this.lastCheckpoint);
          return;
        }
        settings.log('warn', 'final invocation of the window failed; retrying', { ...fields, attempt, error: failure });
        await this.rt.sleep(this.rt.backoffMs(attempt));
      }
    } finally {
      this.inFlight = false;
      this.rt.changed();
    }
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

  /** Saves the sequence number with the open window, if any, in one write. */
  private async checkpoint(sequenceNumber: string): Promise<void> {
    const { checkpointStore, streamName, functionName } = this.rt.settings;
    const open = this.window;
    const checkpoint: ShardCheckpoint = {
      sequenceNumber,
      ...(open && {
        window: { start: windowTime(open.bounds.startMs), end: windowTime(open.bounds.endMs), state: open.state },
      }),
    };
    await this.rt.retrying('checkpoint', { shardId: this.shardId },
      () => checkpointStore.save(streamName, functionName, this.shardId, checkpoint));
    this.lastCheckpoint = sequenceNumber;
  }
}
