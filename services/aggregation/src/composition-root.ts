import { Container } from 'inversify';
import type { AwsConnection } from '@wildrydes/adapters/clients';
import { createDynamoDbDocumentClient, DynamoDbSummaryStore } from '@wildrydes/adapters/dynamodb';
import { createKinesisClient, KinesisSummaryPublisher, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import type { SummaryPublisher, SummaryStore } from '@wildrydes/domain';
import { lambdaHandler, serviceTelemetry, tracedConnection, type HandlerTools, type TracerFactory } from '@wildrydes/lambda-kit';
import { createAggregateMinutesHandler } from './aggregate-minutes.handler';
import { AggregateMinutes } from './aggregate-minutes.use-case';
import type { AggregationServiceConfig } from './aggregation.config';

export const AGGREGATION_TOKENS = {
  Tools: Symbol.for('aggregation.Tools'),
  SummaryStore: Symbol.for('aggregation.SummaryStore'),
  SummaryPublisher: Symbol.for('aggregation.SummaryPublisher'),
  AggregateMinutesHandler: Symbol.for('aggregation.AggregateMinutesHandler'),
} as const;

export interface AggregationContainerOverrides {
  /** The Lambda entry points pass `xrayTracer`; locally and in tests nothing is traced. */
  readonly makeTracer?: TracerFactory;
  readonly summaryStore?: SummaryStore;
  readonly summaryPublisher?: SummaryPublisher;
  readonly clock?: () => number;
}

/** The one place that knows which adapter serves which port (see docs/adr/0004). */
export function createAggregationContainer(config: AggregationServiceConfig, untracedConnection: AwsConnection = {}, overrides: AggregationContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = AGGREGATION_TOKENS;
  const telemetry = serviceTelemetry('wildrydes-aggregation', process.env, overrides.makeTracer);
  const connection = tracedConnection(untracedConnection, telemetry.tracer);
  container.bind<HandlerTools>(t.Tools).toConstantValue({ logger: telemetry.logger, metrics: telemetry.metrics, clock: overrides.clock ?? Date.now });
  container.bind<SummaryStore>(t.SummaryStore).toDynamicValue(() =>
    overrides.summaryStore ?? new DynamoDbSummaryStore(createDynamoDbDocumentClient(connection), { tableName: config.summaryTable }));
  container.bind<SummaryPublisher>(t.SummaryPublisher).toDynamicValue(() =>
    overrides.summaryPublisher ?? new KinesisSummaryPublisher(new KinesisTelemetryStream(createKinesisClient(connection), config.summaryStream)));
  container.bind(t.AggregateMinutesHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createAggregateMinutesHandler({
    ...ctx.get<HandlerTools>(t.Tools), aggregateMinutes: new AggregateMinutes(ctx.get(t.SummaryStore), ctx.get(t.SummaryPublisher), config),
  })));
  return container;
}
