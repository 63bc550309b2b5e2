export { KinesisTelemetryStream, type KinesisTelemetryStreamOptions } from './kinesis-telemetry-stream';
export {
  KinesisStreamReader,
  ShardIteratorMissingError,
  type KinesisStreamReaderOptions,
  type ReadFrom,
  type ReadOptions,
  type StreamRecord,
} from './kinesis-stream-reader';
export {
  KINESIS_LIMITS,
  LOCAL_REJECTION_CODES,
  RETRYABLE_CALL_ERRORS,
  RETRYABLE_ENTRY_ERRORS,
  localRejection,
  putRecordsBatches,
  recordBytes,
} from './kinesis-limits';
export { KinesisSummaryPublisher, SummaryPublishError, toWorkshopJson } from './kinesis-summary-publisher';
