import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type {
  Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent,
} from 'aws-lambda';
import type { CheckpointStore } from './checkpoint-store.port';
import { EventSourceMappingError } from './event-source-mapping.errors';
import type { KinesisOnFailureRecord } from './lambda-kinesis-event';
import type { ReplayChaos } from './replay-chaos';
import type { SharedShardReader } from './shared-shard-reader';

export type KinesisStreamEventHandler = (
  event: KinesisStreamEvent, context: Context,
) => Promise<KinesisStreamBatchResponse | void> | KinesisStreamBatchResponse | void;

/**
 * The event of a mapping with tumbling windows. Lambda's event also carries `shardId` and `eventSourceARN`, which
 * `@types/aws-lambda` leaves out.
 */
export type KinesisTumblingWindowEvent = KinesisStreamTumblingWindowEvent & {
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
};

/** What a handler may return; nothing counts as success without tumbling windows and as a failure with them. */
export type KinesisHandlerResponse = KinesisStreamBatchResponse | KinesisStreamStateResponse | void;

export type KinesisTumblingWindowEventHandler = (
  event: KinesisTumblingWindowEvent, context: Context,
) => Promise<KinesisStreamStateResponse | void> | KinesisStreamStateResponse | void;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type EventSourceMappingLog = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface KinesisEventSourceMappingOptions {
  kinesis: KinesisClient;
  streamName: string;
  functionName: string;
  /**
   * The function. With `tumblingWindowInSeconds` it receives a KinesisTumblingWindowEvent and must return
   * `{ state }` (a KinesisTumblingWindowEventHandler). Declared as a method so either kind of handler fits.
   */
  handler(event: KinesisStreamEvent, context: Context): Promise<KinesisHandlerResponse> | KinesisHandlerResponse;
  checkpointStore: CheckpointStore;
  startingPosition: StartingPosition;
  /** Required with AT_TIMESTAMP. */
  startingPositionTimestamp?: Date;
  /** 1–10,000, default 100. */
  batchSize?: number;
  /** 0–300, default 0. */
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: readonly 'ReportBatchItemFailures'[];
  bisectBatchOnFunctionError?: boolean;
  /** -1 (retry until the records expire, the default) or 0–10,000. */
  maximumRetryAttempts?: number;
  /** -1 (never, the default) or 60–604,800. */
  maximumRecordAgeInSeconds?: number;
  /** 1–900: state is carried between invocations of a shard's window of that many seconds. 0 (default): off. */
  tumblingWindowInSeconds?: number;
  /** The on-failure destination. Without it, discarded batches are logged at level error. */
  onFailure?: (failure: KinesisOnFailureRecord) => Promise<void>;
  /**
   * Read the stream through a reader shared with other mappings of the same stream and client: one GetRecords loop
   * per shard for all of them. Without it (the default), the mapping reads every shard by itself.
   */
  shardReader?: SharedShardReader;
  /** Wait between GetRecords calls on a shard with nothing new; Lambda polls about once a second. */
  pollIntervalMs?: number;
  /** Cap of one invocation's JSON payload, default 6 MB (Lambda's synchronous invocation limit). */
  maxPayloadBytes?: number;
  /** Cap of a tumbling window's state as JSON, default 1 MB (Lambda's limit per shard); past it the window ends early. */
  maxStateBytes?: number;
  /** Reported by context.getRemainingTimeInMillis(); not enforced. Default 3 s, Lambda's default. */
  timeoutSeconds?: number;
  /** How often shards are listed again to find new ones; a shard reaching its end triggers a listing at once. */
  shardDiscoveryIntervalMs?: number;
  /** Cap of the jittered exponential backoff after API errors and failed invocations. */
  maxBackoffMs?: number;
  /**
   * First wait before a failed batch is retried (it doubles per retry, jittered, up to `maxBackoffMs`); default 1 s.
   * Lambda does not retry a failed batch at once either: with 50 ms, the default of API errors, a batch's retries
   * were spent within a 2-s DynamoDB outage and its records discarded. Bisecting waits for nothing, as in Lambda.
   */
  retryBackoffBaseMs?: number;
  log?: EventSourceMappingLog;
  /** Epoch milliseconds; tests move it to age records. */
  clock?: () => number;
  /**
   * The replay mode (tests only): every batch delivered twice, forced bisects, crashed invocations that restart
   * from the checkpoint. Off by default. See replay-chaos.ts.
   */
  replayChaos?: ReplayChaos;
}

export type MappingSettings = Required<Omit<KinesisEventSourceMappingOptions,
  'startingPositionTimestamp' | 'functionResponseTypes' | 'onFailure' | 'shardReader' | 'replayChaos'>> & {
  replayChaos: ReplayChaos | undefined;
  startingPositionTimestamp: Date | undefined;
  reportBatchItemFailures: boolean;
  onFailure: KinesisEventSourceMappingOptions['onFailure'];
  shardReader: SharedShardReader | undefined;
};

/** Warnings and errors as JSON lines on stderr. */
export const defaultLog: EventSourceMappingLog = (level, message, fields) => {
  if (level === 'warn' || level === 'error') console.error(JSON.stringify({ level, message, ...fields }));
};

/** Applies Lambda's defaults and rejects what CreateEventSourceMapping would reject. */
export function resolveSettings(options: KinesisEventSourceMappingOptions): MappingSettings {
  const settings: MappingSettings = {
    kinesis: options.kinesis,
    streamName: options.streamName,
    functionName: options.functionName,
    handler: options.handler,
    checkpointStore: options.checkpointStore,
    startingPosition: options.startingPosition,
    startingPositionTimestamp: options.startingPositionTimestamp,
    batchSize: options.batchSize ?? 100,
    maximumBatchingWindowInSeconds: options.maximumBatchingWindowInSeconds ?? 0,
    reportBatchItemFailures: options.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: options.maximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: options.maximumRecordAgeInSeconds ?? -1,
    tumblingWindowInSeconds: options.tumblingWindowInSeconds ?? 0,
    onFailure: options.onFailure,
    shardReader: options.shardReader,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    maxPayloadBytes: options.maxPayloadBytes ?? 6 * 1024 * 1024,
    maxStateBytes: options.maxStateBytes ?? 1024 * 1024,
    timeoutSeconds: options.timeoutSeconds ?? 3,
    shardDiscoveryIntervalMs: options.shardDiscoveryIntervalMs ?? 10_000,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    retryBackoffBaseMs: options.retryBackoffBaseMs ?? 1000,
    log: options.log ?? defaultLog,
    clock: options.clock ?? Date.now,
    replayChaos: options.replayChaos,
  };
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new EventSourceMappingError('ESM_INVALID_CONFIGURATION', message);
  };
  const between = (value: number, min: number, max: number): boolean =>
    Number.isInteger(value) && value >= min && value <= max;
  check(settings.streamName !== '' && settings.functionName !== '', 'streamName and functionName are required');
  check(between(settings.batchSize, 1, 10_000), 'batchSize must be an integer from 1 to 10000');
  check(between(settings.maximumBatchingWindowInSeconds, 0, 300),
    'maximumBatchingWindowInSeconds must be an integer from 0 to 300');
  check(between(settings.maximumRetryAttempts, -1, 10_000), 'maximumRetryAttempts must be -1 or 0 to 10000');
  check(settings.maximumRecordAgeInSeconds === -1 || between(settings.maximumRecordAgeInSeconds, 60, 604_800),
    'maximumRecordAgeInSeconds must be -1 or 60 to 604800');
  check(between(settings.tumblingWindowInSeconds, 0, 900), 'tumblingWindowInSeconds must be an integer from 0 to 900');
  check((settings.startingPosition === 'AT_TIMESTAMP') === (settings.startingPositionTimestamp !== undefined),
    'startingPositionTimestamp is required with AT_TIMESTAMP and only allowed with it');
  check(settings.pollIntervalMs > 0 && settings.maxBackoffMs > 0 && settings.shardDiscoveryIntervalMs > 0 && settings.retryBackoffBaseMs > 0,
    'pollIntervalMs, maxBackoffMs, retryBackoffBaseMs and shardDiscoveryIntervalMs must be positive');
  check(settings.shardReader === undefined
    || (settings.shardReader.streamName === settings.streamName && settings.shardReader.kinesis === settings.kinesis),
  'a shardReader serves the mappings of its own stream and Kinesis client only');
  const share = (value: number | undefined): boolean => value === undefined || (value >= 0 && value <= 1);
  check(settings.replayChaos === undefined || (share(settings.replayChaos.bisectShare) && share(settings.replayChaos.crashShare)),
    'replayChaos shares must be from 0 to 1');
  check(settings.maxPayloadBytes > 0 && settings.timeoutSeconds > 0 && settings.maxStateBytes > 0,
    'maxPayloadBytes, maxStateBytes and timeoutSeconds must be positive');
  return settings;
}
