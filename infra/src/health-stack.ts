import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Construct } from 'constructs';
import { STREAM_MAPPINGS } from '@wildrydes/domain';
import { addKinesisMapping, failureQueue } from './kinesis-mapping';
import { ServiceFunction, useEventBus, useStream, useTable } from './service-function';

export interface WildRydesHealthStackProps extends StackProps {
  readonly telemetryStream: kinesis.IStream;
  readonly healthTable: dynamodb.ITableV2;
  readonly eventBus: events.IEventBus;
}

/**
 * The health service: `track-health` follows every reading on `wildrydes` and keeps `UnicornHealth`; `detect-silence`
 * scans for unicorns gone quiet once a minute. Both publish `unicorn-alert` to the bus.
 */
export class WildRydesHealthStack extends Stack {
  readonly trackHealth: ServiceFunction;
  readonly detectSilence: ServiceFunction;
  readonly silenceSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: WildRydesHealthStackProps) {
    super(scope, id, props);
    const failures = failureQueue(this, 'health');

    this.trackHealth = new ServiceFunction(this, 'TrackHealth', {
      service: 'health',
      entry: 'track-health.lambda.ts',
      description: 'Wild Rydes health: readings on wildrydes -> UnicornHealth transitions and unicorn-alert events',
    });
    // BatchGetItem loads unicorns the instance has not seen, GetItem its shard's last-seen record; PutItem writes each
    // transition and the shard's record (conditional on Version).
    useTable(this.trackHealth, props.healthTable, 'HEALTH_TABLE_NAME', ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);
    useEventBus(this.trackHealth, props.eventBus, 'EVENT_BUS_NAME', ['events:PutEvents']);
    addKinesisMapping(this.trackHealth, props.telemetryStream, { settings: STREAM_MAPPINGS.health, onFailure: failures });

    this.detectSilence = new ServiceFunction(this, 'DetectSilence', {
      service: 'health',
      entry: 'detect-silence.lambda.ts',
      description: 'Wild Rydes health: once a minute, unicorns unseen for the silence threshold -> unicorn-alert',
      memorySize: 256,
    });
    // Scan lists the shards' last-seen records, BatchGetItem loads the quiet unicorns of idle shards, PutItem marks each
    // one silent (conditional).
    useTable(this.detectSilence, props.healthTable, 'HEALTH_TABLE_NAME', ['dynamodb:BatchGetItem', 'dynamodb:Scan', 'dynamodb:PutItem']);
    // A shard not saved lately is judged only if no record reached it since: one AT_TIMESTAMP read tells.
    useStream(this.detectSilence, props.telemetryStream, 'TELEMETRY_STREAM_NAME', ['kinesis:GetShardIterator', 'kinesis:GetRecords']);
    useEventBus(this.detectSilence, props.eventBus, 'EVENT_BUS_NAME', ['events:PutEvents']);
    // A failed scan is not retried: the next one starts a minute later and judges every unicorn afresh, so a retry
    // would only overlap it. The failure is still recorded in the failure queue.
    this.detectSilence.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
      onFailure: new SqsDestination(failures),
    });

    this.silenceSchedule = new events.Rule(this, 'SilenceSchedule', {
      ruleName: 'wildrydes-health-detect-silence',
      description: 'Runs the health service silence scan once a minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new eventsTargets.LambdaFunction(this.detectSilence.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
        deadLetterQueue: failures,
      })],
    });
  }
}
