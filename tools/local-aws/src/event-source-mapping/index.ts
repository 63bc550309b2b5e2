export { KinesisEventSourceMapping } from './kinesis-event-source-mapping';
export type {
  EventSourceMappingLog, KinesisEventSourceMappingOptions, KinesisHandlerResponse, KinesisStreamEventHandler,
  KinesisTumblingWindowEvent, KinesisTumblingWindowEventHandler, LogLevel, StartingPosition,
} from './event-source-mapping.options';
export type { KinesisOnFailureRecord, FailureCondition } from './lambda-kinesis-event';
export { SHARD_END_CHECKPOINT, type CheckpointStore, type OpenWindow, type ShardCheckpoint } from './checkpoint-store.port';
export { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
export { FileCheckpointStore } from './file-checkpoint-store';
export { EventSourceMappingError, type EventSourceMappingErrorCode } from './event-source-mapping.errors';
export { createLocalKinesisClient } from './local-kinesis-client';
export { rawGetRecords, KinesisApiError, type GetRecordsAnswer, type GetRecordsCall, type StreamRecord } from './raw-get-records';
export {
  SharedShardReader, type SharedShardReaderLease, type SharedShardReaderOptions,
} from './shared-shard-reader';
export { ForcedBisectError, type ReplayChaos, type ReplayChaosCounts } from './replay-chaos';
