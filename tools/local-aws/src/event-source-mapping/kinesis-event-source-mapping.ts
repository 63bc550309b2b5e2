import { setMaxListeners } from 'node:events';
import { DescribeStreamSummaryCommand, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { SHARD_END_CHECKPOINT, type ShardCheckpoint } from './checkpoint-store.port';
import { EventSourceMappingError } from './event-source-mapping.errors';
import {
  resolveSettings, type KinesisEventSourceMappingOptions, type MappingSettings,
} from './event-source-mapping.options';
import { KinesisShardPoller, type IteratorStart, type ShardPollerRuntime } from './kinesis-shard-poller';
import type { EventSourceIdentity } from './lambda-kinesis-event';
import type { ReplayChaosCounts } from './replay-chaos';

type Finished = 'read' | 'skipped';

/**
 * A local stand-in for a Lambda Kinesis event source mapping: polls every shard of a stream through the
 * Kinesis API and invokes a handler with the KinesisStreamEvent Lambda would send, with the same batching,
 * partial-failure, bisect, retry, record-age and checkpoint rules.
 */
export class KinesisEventSourceMapping {
  private readonly settings: MappingSettings;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private runtime: ShardPollerRuntime | undefined;
  private tick = 0;
  private readonly pollers = new Map<string, KinesisShardPoller>();
  private readonly pollersDone = new Set<Promise<void>>();
  private readonly finished = new Map<string, Finished>();
  private readonly loaded = new Map<string, ShardCheckpoint | undefined>();
  private listing: Shard[] = [];
  private listedTick = -1;
  private lastFinishTick = -1;
  private wakeDiscovery: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly chaosCounts: ReplayChaosCounts = { invocations: 0, redeliveries: 0, forcedBisects: 0, crashes: 0 };

  constructor(options: KinesisEventSourceMappingOptions) {
    this.settings = resolveSettings(options);
    // Every sleeping poller and every request in flight listens to this signal: many listeners is normal.
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) {
      throw new EventSourceMappingError('ESM_ALREADY_STARTED', 'a mapping starts once; create a new one to restart');
    }
    this.running = this.discover();
  }

  /** What the replay mode did so far (all zero without it). */
  replayChaosCounts(): Readonly<ReplayChaosCounts> {
    return { ...this.chaosCounts };
  }

  /** Stops polling after the invocations in flight have finished and been checkpointed. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.changed();
    await this.running;
    while (this.pollersDone.size > 0) await Promise.all([...this.pollersDone]);
    this.runtime?.shared?.close();
  }

  /**
   * Resolves once every shard has been read to its tip by a poll that started after this call, with no
   * invocation in flight: everything put before the call has been delivered (or discarded to onFailure).
   * Never resolves while a batch is being retried; use timeoutMs to bound the wait. With `closedWindows`, it also
   * waits for every open tumbling window's final invocation, so what the windows held has been handed over too.
   */
  drain(options: { timeoutMs?: number; closedWindows?: boolean } = {}): Promise<void> {
    if (!this.running) return Promise.reject(new EventSourceMappingError('ESM_NOT_RUNNING', 'drain() before start()'));
    const mark = ++this.tick;
    this.wakeDiscovery?.();
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        this.listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (this.abort.signal.aborted) finish(new EventSourceMappingError('ESM_STOPPED', 'the mapping was stopped'));
        else if (this.idleSince(mark, options.closedWindows ?? false)) finish();
      };
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(
        new EventSourceMappingError('ESM_DRAIN_TIMEOUT', `not drained within ${options.timeoutMs} ms`)), options.timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  private idleSince(mark: number, closedWindows: boolean): boolean {
    if (this.listedTick <= Math.max(mark, this.lastFinishTick)) return false;
    const idle = (poller: KinesisShardPoller | undefined): boolean =>
      poller !== undefined && poller.tipTick > mark && !poller.inFlight && !(closedWindows && poller.windowOpen);
    return this.listing.every((shard) => this.finished.has(shard.ShardId ?? '') || idle(this.pollers.get(shard.ShardId ?? '')))
      && [...this.pollers.values()].every(idle);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async discover(): Promise<void> {
    const { settings } = this;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const wake = new AbortController();
      this.wakeDiscovery = () => wake.abort();
      const startTick = ++this.tick;
      try {
        this.runtime ??= await this.pollerRuntime();
        const shards = await this.listShards();
        await this.reconcile(shards);
        this.listing = shards;
        this.listedTick = startTick;
        failures = 0;
        this.changed();
        await this.sleep(settings.shardDiscoveryIntervalMs, wake.signal);
      } catch (error) {
        if (this.abort.signal.aborted) break;
        failures += 1;
        settings.log('warn', 'shard discovery failed; retrying', {
          streamName: settings.streamName, attempt: failures, error: String(error),
        });
        await this.sleep(this.backoffMs(failures));
      }
    }
  }

  private async pollerRuntime(): Promise<ShardPollerRuntime> {
    return {
      settings: this.settings,
      identity: await this.identity(),
      signal: this.abort.signal,
      shared: this.settings.shardReader?.lease(),
      chaosCounts: this.chaosCounts,
      nextTick: () => ++this.tick,
      changed: () => this.changed(),
      sleep: (ms) => this.sleep(ms),
      backoffMs: (attempt) => this.backoffMs(attempt),
      retryBackoffMs: (retry) => this.backoffMs(retry, this.settings.retryBackoffBaseMs),
      retrying: (what, fields, fn) => this.retrying(what, fields, fn),
    };
  }

  private async identity(): Promise<EventSourceIdentity> {
    const { kinesis, streamName, functionName } = this.settings;
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }),
      { abortSignal: this.abort.signal });
    const streamArn = out.StreamDescriptionSummary?.StreamARN;
    if (!streamArn) throw new Error(`DescribeStreamSummary returned no ARN for ${streamName}`);
    const [, partition, , region, account] = streamArn.split(':');
    const awsRegion = region || await kinesis.config.region();
    return {
      streamArn,
      awsRegion,
      functionArn: `arn:${partition}:lambda:${awsRegion}:${account}:function:${functionName}`,
      invokeIdentityArn: `arn:${partition}:iam::${account}:role/${functionName}-role`,
    };
  }

  private async listShards(): Promise<Shard[]> {
    const { kinesis, streamName } = this.settings;
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // ListShards takes either the stream name or a page token, never both.
      const out = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
        { abortSignal: this.abort.signal });
      shards.push(...(out.Shards ?? []));
      nextToken = out.NextToken;
    } while (nextToken);
    // Shard ids grow with resharding, so parents sort before their children.
    return shards.sort((a, b) => (a.ShardId ?? '').localeCompare(b.ShardId ?? ''));
  }

  /** Starts a poller for every shard whose parents are finished, as Lambda reads a child only after its parents. */
  private async reconcile(shards: Shard[]): Promise<void> {
    const { startingPosition, startingPositionTimestamp } = this.settings;
    const listed = new Set(shards.map((shard) => shard.ShardId));
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (!shardId || this.pollers.has(shardId) || this.finished.has(shardId) || this.abort.signal.aborted) continue;
      // A parent no longer listed has been trimmed away by retention: there is nothing left to wait for.
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId]
        .filter((parent): parent is string => parent !== undefined && listed.has(parent));
      if (!parents.every((parent) => this.finished.has(parent))) continue;
      const checkpoint = await this.loadCheckpoint(shardId);
      if (checkpoint?.sequenceNumber === SHARD_END_CHECKPOINT) {
        this.finished.set(shardId, 'read');
        continue;
      }
      if (checkpoint !== undefined) {
        this.startPoller(shardId, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint.sequenceNumber }, checkpoint);
        continue;
      }
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const parentRead = parents.some((parent) => this.finished.get(parent) === 'read');
      // With LATEST, a closed shard nobody read before holds nothing newer than "now".
      if (closed && !parentRead && startingPosition === 'LATEST') {
        this.finished.set(shardId, 'skipped');
        continue;
      }
      // A child of a shard read to its end starts at its beginning, or records written during the split are lost.
      const start: IteratorStart = startingPosition === 'AT_TIMESTAMP' && startingPositionTimestamp
        ? { type: 'AT_TIMESTAMP', timestamp: startingPositionTimestamp }
        : { type: parentRead ? 'TRIM_HORIZON' : startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
      this.startPoller(shardId, start);
    }
  }

  private async loadCheckpoint(shardId: string): Promise<ShardCheckpoint | undefined> {
    if (this.loaded.has(shardId)) return this.loaded.get(shardId);
    const { checkpointStore, streamName, functionName } = this.settings;
    const checkpoint = await this.retrying('checkpoint load', { shardId },
      () => checkpointStore.load(streamName, functionName, shardId));
    this.loaded.set(shardId, checkpoint);
    return checkpoint;
  }

  private startPoller(shardId: string, start: IteratorStart, resume?: ShardCheckpoint): void {
    if (!this.runtime) return;
    const poller = new KinesisShardPoller(shardId, start, this.runtime, resume);
    this.pollers.set(shardId, poller);
    this.settings.log('info', 'polling shard', { streamName: this.settings.streamName, shardId, start });
    const done = poller.run().then((outcome) => {
      this.pollers.delete(shardId);
      if (outcome === 'ended') {
        this.finished.set(shardId, 'read');
        this.lastFinishTick = ++this.tick;
        this.wakeDiscovery?.();
      }
      this.changed();
    }).finally(() => this.pollersDone.delete(done));
    this.pollersDone.add(done);
  }

  private async retrying<T>(what: string, fields: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (error) {
        if (this.abort.signal.aborted) throw error;
        this.settings.log('warn', `${what} failed; retrying`, {
          streamName: this.settings.streamName, ...fields, attempt, error: String(error),
        });
        await this.sleep(this.backoffMs(attempt));
      }
    }
  }

  /** Exponential from `baseMs` (50 ms after API errors), capped, half of it jittered so pollers that failed together spread out. */
  private backoffMs(attempt: number, baseMs = 50): number {
    const ceiling = Math.min(this.settings.maxBackoffMs, baseMs * 2 ** Math.min(attempt - 1, 20));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Resolves early when the mapping stops or `wake` fires. */
  private sleep(ms: number, wake?: AbortSignal): Promise<void> {
    const signals = wake ? [this.abort.signal, wake] : [this.abort.signal];
    if (signals.some((signal) => signal.aborted)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        for (const signal of signals) signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const signal of signals) signal.addEventListener('abort', done);
    });
  }
}
