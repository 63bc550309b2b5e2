export { KinesisTelemetryStream, type KinesisTelemetryStreamOptions } from './kinesis-telemetry-stream';
export {
  KinesisStreamReader,
  sdkGetRecords,
  ShardIteratorMissingError,
  type KinesisGetRecords,
  type KinesisStreamReaderOptions,
  type ReadFrom,
  type ReadOptions,
  type StreamRecord,
} from './kinesis-stream-reader';
export { createKinesisClient } from './kinesis-client';
export { KinesisShardActivity, type KinesisShardActivityOptions } from './kinesis-shard-activity';
export { KinesisSummaryPublisher, SummaryPublishError, toWorkshopJson } from './kinesis-summary-publisher';
export { KinesisStreamHistory, type KinesisStreamHistoryOptions } from './kinesis-stream-history';
