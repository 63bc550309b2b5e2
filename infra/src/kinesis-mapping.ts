import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DEFAULT_STAGE, stagedName, type StreamMappingSettings } from '@wildrydes/domain';
import type { ServiceFunction, ServiceName } from './service-function';

/**
 * A service's failure queue: the on-failure destination of its stream mappings (which send the failed batch's
 * shard and sequence numbers, not the records) and of its asynchronous invocations (schedule, rule, S3 event).
 * Encrypted, TLS only, kept 14 days (SQS's maximum), deleted with the stack.
 */
export function failureQueue(scope: Construct, service: ServiceName, stage: string = DEFAULT_STAGE): sqs.Queue {
  const queue = new sqs.Queue(scope, 'FailureQueue', {
    queueName: stagedName(`wildrydes-${service}-failures`, stage),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  NagSuppressions.addResourceSuppressions(queue, [{
    id: 'AwsSolutions-SQS3',
    reason: 'This queue IS the dead-letter destination (of the Kinesis mappings and async invocations); nothing consumes it automatically, so there is no further redrive.',
  }]);
  return queue;
}

export interface KinesisMappingProps {
  /** Batch size, batching window, retries, record age and tumbling window: the service's row of the domain's STREAM_MAPPINGS. */
  readonly settings: StreamMappingSettings;
  /** Where failed batches' metadata goes. */
  readonly onFailure: sqs.IQueue;
}

/**
 * The event source mapping of a stream handler. The handlers return `batchItemFailures` (the lambda kit's
 * `kinesisBatchHandler`), so:
 * - `reportBatchItemFailures`: Lambda retries from the first failed record only, never the records before it;
 * - `bisectBatchOnError`: a batch whose invocation fails as a whole is split in halves until the bad record is alone;
 * - bounded `retryAttempts` and `maxRecordAge`: a record that keeps failing is given up and its position sent to the
 *   failure queue (from which it can still be read for the rest of the stream's 24 h), so its shard moves on;
 * - `TRIM_HORIZON`: a new mapping starts from the oldest record kept, so nothing written before the deploy is lost.
 *   Replays are harmless: every effect is idempotent per (Name, StatusTime);
 * - `tumblingWindow` when the settings have one: the handler keeps a state across a window's invocations
 *   (the lambda kit's `kinesisWindowHandler`).
 *
 * Also grants the function what the mapping needs to read the stream (CDK's `grantRead`, scoped to this one stream).
 */
export function addKinesisMapping(fn: ServiceFunction, stream: kinesis.IStream, props: KinesisMappingProps): KinesisEventSource {
  const source = new KinesisEventSource(stream, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: props.settings.batchSize,
    maxBatchingWindow: Duration.seconds(props.settings.maxBatchingWindowSeconds),
    reportBatchItemFailures: true,
    bisectBatchOnError: true,
    retryAttempts: props.settings.retryAttempts,
    maxRecordAge: Duration.seconds(props.settings.maxRecordAgeSeconds),
    onFailure: new SqsDlq(props.onFailure),
    ...(props.settings.tumblingWindowSeconds === undefined ? {} : { tumblingWindow: Duration.seconds(props.settings.tumblingWindowSeconds) }),
  });
  fn.function.addEventSource(source);
  return source;
}
