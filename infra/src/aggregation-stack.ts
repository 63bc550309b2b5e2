import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { DEFAULT_STAGE, STREAM_MAPPINGS } from '@wildrydes/domain';
import { AlarmFactory, type OperatedStackProps } from './alarm-factory';
import { addKinesisMapping, failureQueue } from './kinesis-mapping';
import { ServiceFunction, useStream, useTable } from './service-function';

export interface WildRydesAggregationStackProps extends StackProps, OperatedStackProps {
  readonly telemetryStream: kinesis.IStream;
  readonly summaryTable: dynamodb.ITableV2;
  readonly summaryStream: kinesis.IStream;
}

/** The aggregation service: readings on `wildrydes` -> per-minute summaries in `UnicornSensorData` and on `wildrydes-summary`. */
export class WildRydesAggregationStack extends Stack {
  readonly aggregateMinutes: ServiceFunction;
  readonly alarms: AlarmFactory;

  constructor(scope: Construct, id: string, props: WildRydesAggregationStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? DEFAULT_STAGE;
    const failures = failureQueue(this, 'aggregation', stage);

    this.aggregateMinutes = new ServiceFunction(this, 'AggregateMinutes', {
      service: 'aggregation',
      stage,
      entry: 'aggregate-minutes.lambda.ts',
      description: 'Wild Rydes aggregation: readings on wildrydes -> minute summaries (UnicornSensorData, wildrydes-summary)',
    });
    // BatchGetItem/GetItem read the stored minutes; PutItem merges a closed (or, at a window's end, open) minute;
    // Query finds a unicorn's pending minutes once per tumbling window; UpdateItem marks minutes emitted.
    useTable(this.aggregateMinutes, props.summaryTable, 'SUMMARY_TABLE_NAME', [
      'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
    ]);
    useStream(this.aggregateMinutes, props.summaryStream, 'SUMMARY_STREAM_NAME', ['kinesis:PutRecords']);
    addKinesisMapping(this.aggregateMinutes, props.telemetryStream, { settings: STREAM_MAPPINGS.aggregation, onFailure: failures });

    this.alarms = new AlarmFactory(this, 'Alarms', { stage, prefix: 'wildrydes', topic: props.alarmTopic });
    this.alarms.queueNotEmpty(failures, 'aggregation-failures', 'failed batches (shard and sequence numbers)');
    this.alarms.iteratorAge(this.aggregateMinutes);
    this.alarms.functionErrorsAndThrottles(this.aggregateMinutes);
  }
}
