import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Construct } from 'constructs';
import { DEFAULT_STAGE, stagedName, STREAM_MAPPINGS } from '@wildrydes/domain';
import { AlarmFactory, type OperatedStackProps } from './alarm-factory';
import { addKinesisMapping, failureQueue } from './kinesis-mapping';
import { ServiceFunction, useEventBus, useStream, useTable } from './service-function';

export interface WildRydesHealthStackProps extends StackProps, OperatedStackProps {
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
  readonly alarms: AlarmFactory;

  constructor(scope: Construct, id: string, props: WildRydesHealthStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? DEFAULT_STAGE;
    const failures = failureQueue(this, 'health', stage);

    this.trackHealth = new ServiceFunction(this, 'TrackHealth', {
      service: 'health',
      stage,
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
      stage,
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
      ruleName: stagedName('wildrydes-health-detect-silence', stage),
      description: 'Runs the health service silence scan once a minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new eventsTargets.LambdaFunction(this.detectSilence.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
        deadLetterQueue: failures,
      })],
    });

    this.alarms = new AlarmFactory(this, 'Alarms', { stage, prefix: 'wildrydes', topic: props.alarmTopic });
    this.alarms.queueNotEmpty(failures, 'health-failures', 'failed batches (shard and sequence numbers) and failed silence scans');
    this.alarms.iteratorAge(this.trackHealth);
    for (const fn of [this.trackHealth, this.detectSilence]) this.alarms.functionErrorsAndThrottles(fn);
    this.alarms.ruleFailedInvocations(this.silenceSchedule, 'health-silence-schedule', 'silence scans EventBridge could not start');
  }
}
