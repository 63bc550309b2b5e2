import { DEFAULT_STAGE, resourceNames, UNICORN_ALERT_EVENT_PATTERN, STREAM_MAPPINGS } from '@wildrydes/domain';
import { AlarmFactory, type OperatedStackProps } from './alarm-factory';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { addKinesisMapping, failureQueue } from './kinesis-mapping';
import { ServiceFunction, useBucket } from './service-function';

/** An EventBridge rule as a service defines its own subscription (EventBridge's JSON pattern keys, e.g. `detail-type`). */
export interface ServiceSubscription {
  readonly ruleName: string;
  readonly description: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
}

/**
 * Archival's subscription: the domain's `unicorn-alert` pattern under the rule name the archival service and the
 * local stack use too (both from the domain), so AWS and the laptop cannot filter differently.
 */
export function archiveAlertsSubscription(stage: string = DEFAULT_STAGE): ServiceSubscription {
  return {
    ruleName: resourceNames(stage).archivalAlertRule,
    description: 'Archives every unicorn-alert under alerts/dt=YYYY-MM-DD/ in the data bucket',
    eventPattern: UNICORN_ALERT_EVENT_PATTERN,
  };
}

/** The default stage's subscription. */
export const ARCHIVE_ALERTS_SUBSCRIPTION: ServiceSubscription = archiveAlertsSubscription();

/** EventBridge's pattern keys to CDK's `EventPattern` (only `detail-type` is spelled differently). */
export function toCdkEventPattern(pattern: Readonly<Record<string, unknown>>): events.EventPattern {
  const known = new Set(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  const unknown = Object.keys(pattern).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`event pattern: unsupported top-level keys ${unknown.join(', ')}`);
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}

export interface WildRydesArchivalStackProps extends StackProps, OperatedStackProps {
  readonly telemetryStream: kinesis.IStream;
  readonly dataBucket: s3.IBucket;
  readonly eventBus: events.IEventBus;
  /** `archiveAlertsSubscription(stage)`. */
  readonly alertSubscription: ServiceSubscription;
}

/**
 * The archival service: every reading on `wildrydes` -> `raw/` (or `rejected/`) in the data bucket; every
 * `unicorn-alert` -> `alerts/`. The service owns its subscription rule on the bus.
 */
export class WildRydesArchivalStack extends Stack {
  readonly archiveReadings: ServiceFunction;
  readonly archiveAlert: ServiceFunction;
  readonly alertRule: events.Rule;
  readonly alarms: AlarmFactory;

  constructor(scope: Construct, id: string, props: WildRydesArchivalStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? DEFAULT_STAGE;
    const failures = failureQueue(this, 'archival', stage);

    this.archiveReadings = new ServiceFunction(this, 'ArchiveReadings', {
      service: 'archival',
      stage,
      entry: 'archive-readings.lambda.ts',
      description: 'Wild Rydes archival: readings on wildrydes -> gzip NDJSON under raw/ (refused ones under rejected/)',
    });
    useBucket(this.archiveReadings, props.dataBucket, 'DATA_BUCKET_NAME', [{ actions: ['s3:PutObject'], prefixes: ['raw/', 'rejected/'] }]);
    addKinesisMapping(this.archiveReadings, props.telemetryStream, { settings: STREAM_MAPPINGS.archival, onFailure: failures });

    this.archiveAlert = new ServiceFunction(this, 'ArchiveAlert', {
      service: 'archival',
      stage,
      entry: 'archive-alert.lambda.ts',
      description: 'Wild Rydes archival: unicorn-alert events -> alerts/ in the data bucket',
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    useBucket(this.archiveAlert, props.dataBucket, 'DATA_BUCKET_NAME', [{ actions: ['s3:PutObject'], prefixes: ['alerts/'] }]);
    // An alert that still fails after Lambda's two retries is kept in the failure queue: nothing is dropped silently.
    this.archiveAlert.function.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failures) });

    this.alertRule = new events.Rule(this, 'AlertSubscription', {
      ruleName: props.alertSubscription.ruleName,
      description: props.alertSubscription.description,
      eventBus: props.eventBus,
      eventPattern: toCdkEventPattern(props.alertSubscription.eventPattern),
      // Events EventBridge cannot hand to Lambda (after its own retries) also land in the failure queue.
      targets: [new eventsTargets.LambdaFunction(this.archiveAlert.function, { deadLetterQueue: failures, retryAttempts: 8 })],
    });

    this.alarms = new AlarmFactory(this, 'Alarms', { stage, prefix: 'wildrydes', topic: props.alarmTopic });
    this.alarms.queueNotEmpty(failures, 'archival-failures', 'failed batches (shard and sequence numbers) and alerts that could not be archived');
    this.alarms.iteratorAge(this.archiveReadings);
    for (const fn of [this.archiveReadings, this.archiveAlert]) this.alarms.functionErrorsAndThrottles(fn);
    this.alarms.ruleFailedInvocations(this.alertRule, 'archival-alert-rule', 'unicorn-alert events EventBridge could not hand to the archiver');

  }
}
