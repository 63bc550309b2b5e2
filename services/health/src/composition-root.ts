import { Container } from 'inversify';
import type { AwsConnection } from '@wildrydes/adapters/clients';
import { createDynamoDbDocumentClient, DynamoDbHealthStore } from '@wildrydes/adapters/dynamodb';
import { createEventBridgeClient, EventBridgeAlertPublisher } from '@wildrydes/adapters/eventbridge';
import { createKinesisClient, KinesisShardActivity } from '@wildrydes/adapters/kinesis';
import type { AlertPublisher, HealthStore, ShardActivity } from '@wildrydes/domain';
import { lambdaHandler, serviceTelemetry, tracedConnection, type HandlerTools, type TracerFactory } from '@wildrydes/lambda-kit';
import { createDetectSilenceHandler } from './detect-silence.handler';
import { DetectSilence } from './detect-silence.use-case';
import type { HealthServiceConfig } from './health.config';
import { createTrackHealthHandler } from './track-health.handler';
import { TrackHealth } from './track-health.use-case';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const HEALTH_TOKENS = {
  Tools: Symbol.for('health.Tools'),
  HealthStore: Symbol.for('health.HealthStore'),
  AlertPublisher: Symbol.for('health.AlertPublisher'),
  ShardActivity: Symbol.for('health.ShardActivity'),
  TrackHealthHandler: Symbol.for('health.TrackHealthHandler'),
  DetectSilenceHandler: Symbol.for('health.DetectSilenceHandler'),
} as const;

/** Ports can be replaced (tests bind fakes); the rest is built from them. */
export interface HealthContainerOverrides {
  /** The Lambda entry points pass `xrayTracer`; locally and in tests nothing is traced. */
  readonly makeTracer?: TracerFactory;
  readonly healthStore?: HealthStore;
  readonly alertPublisher?: AlertPublisher;
  readonly shardActivity?: ShardActivity;
  readonly clock?: () => number;
}

/** Binds the health service for one connection (AWS by default); a client is made only when a port bound to it is resolved. */
export function createHealthContainer(config: HealthServiceConfig, untracedConnection: AwsConnection = {}, overrides: HealthContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = HEALTH_TOKENS;
  const telemetry = serviceTelemetry('wildrydes-health', process.env, overrides.makeTracer);
  const connection = tracedConnection(untracedConnection, telemetry.tracer);
  container.bind<HandlerTools>(t.Tools).toConstantValue({ logger: telemetry.logger, metrics: telemetry.metrics, clock: overrides.clock ?? Date.now });
  container.bind<HealthStore>(t.HealthStore).toDynamicValue(() =>
    overrides.healthStore ?? new DynamoDbHealthStore(createDynamoDbDocumentClient(connection), { tableName: config.healthTable }));
  container.bind<AlertPublisher>(t.AlertPublisher).toDynamicValue(() =>
    overrides.alertPublisher ?? new EventBridgeAlertPublisher(createEventBridgeClient(connection), config.eventBus));
  // Only the silence scan reads the stream (to tell an idle shard from one whose handler is behind).
  container.bind<ShardActivity>(t.ShardActivity).toDynamicValue(() =>
    overrides.shardActivity ?? new KinesisShardActivity(createKinesisClient(connection), { streamName: config.telemetryStream }));
  container.bind(t.TrackHealthHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createTrackHealthHandler({
    ...ctx.get<HandlerTools>(t.Tools), trackHealth: new TrackHealth(ctx.get(t.HealthStore), ctx.get(t.AlertPublisher), config),
  })));
  container.bind(t.DetectSilenceHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createDetectSilenceHandler({
    ...ctx.get<HandlerTools>(t.Tools), detectSilence: new DetectSilence(ctx.get(t.HealthStore), ctx.get(t.AlertPublisher), ctx.get(t.ShardActivity), config),
  })));
  return container;
}
