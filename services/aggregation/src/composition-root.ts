import 'reflect-metadata';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Container } from 'inversify';
import { DynamoDbSummaryStore, KinesisSummaryPublisher, KinesisTelemetryStream, type AwsClients } from '@wildrydes/adapters';
import type { SummaryPublisher, SummaryStore } from '@wildrydes/domain';
import type { AggregationServiceConfig } from './aggregation.config';
import { createAggregateMinutesHandler } from './aggregate-minutes.handler';
import { AggregateMinutes } from './aggregate-minutes.use-case';

export const AGGREGATION_TOKENS = {
  Clock: Symbol.for('aggregation.Clock'),
  Logger: Symbol.for('aggregation.Logger'),
  Metrics: Symbol.for('aggregation.Metrics'),
  SummaryStore: Symbol.for('aggregation.SummaryStore'),
  SummaryPublisher: Symbol.for('aggregation.SummaryPublisher'),
  AggregateMinutes: Symbol.for('aggregation.AggregateMinutes'),
  AggregateMinutesHandler: Symbol.for('aggregation.AggregateMinutesHandler'),
} as const;

export type AggregationClients = Pick<AwsClients, 'documentClient' | 'kinesis'>;

export interface AggregationContainerOverrides {
  readonly summaryStore?: SummaryStore;
  readonly summaryPublisher?: SummaryPublisher;
  readonly clock?: () => number;
}

/** The one place that knows which adapter serves which port (see docs/adr/0004). */
export function createAggregationContainer(config: AggregationServiceConfig, clients: AggregationClients, overrides: AggregationContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = AGGREGATION_TOKENS;
  container.bind(t.Clock).toConstantValue(overrides.clock ?? Date.now);
  container.bind(t.Logger).toDynamicValue(() => new Logger({ serviceName: 'wildrydes-aggregation' }));
  container.bind(t.Metrics).toDynamicValue(() => new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-aggregation' }));
  container.bind<SummaryStore>(t.SummaryStore).toDynamicValue(() =>
    overrides.summaryStore ?? new DynamoDbSummaryStore(clients.documentClient, { tableName: config.summaryTable }));
  container.bind<SummaryPublisher>(t.SummaryPublisher).toDynamicValue(() =>
    overrides.summaryPublisher ?? new KinesisSummaryPublisher(new KinesisTelemetryStream(clients.kinesis, config.summaryStream)));
  container.bind(t.AggregateMinutes).toDynamicValue((ctx) => new AggregateMinutes(ctx.get(t.SummaryStore), ctx.get(t.SummaryPublisher), config));
  container.bind(t.AggregateMinutesHandler).toDynamicValue((ctx) => createAggregateMinutesHandler({
    aggregateMinutes: ctx.get(t.AggregateMinutes), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics), clock: ctx.get(t.Clock),
  }));
  return container;
}
