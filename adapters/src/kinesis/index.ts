export { KinesisTelemetryStream, type KinesisTelemetryStreamOptions } from './kinesis-telemetry-stream';
export {
  KinesisStreamReader,
  ShardIteratorMissingError,
  type KinesisStreamReaderOptions,
  type ReadFrom,
  type ReadOptions,
  type StreamRecord,
} from './kinesis-stream-reader';
export { createKinesisClient } from './kinesis-client';
export { KinesisSummaryPublisher, SummaryPublishError, toWorkshopJson } from './kinesis-summary-publisher';
