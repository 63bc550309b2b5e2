import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { STREAM_MAPPINGS } from '@wildrydes/domain';
import { addKinesisMapping, failureQueue } from './kinesis-mapping';
import { ServiceFunction, useStream, useTable } from './service-function';

export interface WildRydesAggregationStackProps extends StackProps {
  readonly telemetryStream: kinesis.IStream;
  readonly summaryTable: dynamodb.ITableV2;
  readonly summaryStream: kinesis.IStream;
}

/** The aggregation service: readings on `wildrydes` -> per-minute summaries in `UnicornSensorData` and on `wildrydes-summary`. */
export class WildRydesAggregationStack extends Stack {
  readonly aggregateMinutes: ServiceFunction;

  constructor(scope: Construct, id: string, props: WildRydesAggregationStackProps) {
    super(scope, id, props);
    const failures = failureQueue(this, 'aggregation');

    this.aggregateMinutes = new ServiceFunction(this, 'AggregateMinutes', {
      service: 'aggregation',
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
  }
}
