import 'reflect-metadata';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Container } from 'inversify';
import { DynamoDbHealthStore, EventBridgeAlertPublisher, type AwsClients } from '@wildrydes/adapters';
import type { AlertPublisher, HealthStore } from '@wildrydes/domain';
import type { HealthServiceConfig } from './health.config';
import { createDetectSilenceHandler } from './detect-silence.handler';
import { DetectSilence } from './detect-silence.use-case';
import { createTrackHealthHandler } from './track-health.handler';
import { TrackHealth } from './track-health.use-case';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const HEALTH_TOKENS = {
  Config: Symbol.for('health.Config'),
  Clock: Symbol.for('health.Clock'),
  Logger: Symbol.for('health.Logger'),
  Metrics: Symbol.for('health.Metrics'),
  HealthStore: Symbol.for('health.HealthStore'),
  AlertPublisher: Symbol.for('health.AlertPublisher'),
  TrackHealth: Symbol.for('health.TrackHealth'),
  DetectSilence: Symbol.for('health.DetectSilence'),
  TrackHealthHandler: Symbol.for('health.TrackHealthHandler'),
  DetectSilenceHandler: Symbol.for('health.DetectSilenceHandler'),
} as const;

export type HealthClients = Pick<AwsClients, 'documentClient' | 'eventBridge'>;

/** Ports can be replaced (tests bind fakes); the rest is built from them. */
export interface HealthContainerOverrides {
  readonly healthStore?: HealthStore;
  readonly alertPublisher?: AlertPublisher;
  readonly clock?: () => number;
}

export function createHealthContainer(config: HealthServiceConfig, clients: HealthClients, overrides: HealthContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = HEALTH_TOKENS;
  container.bind(t.Config).toConstantValue(config);
  container.bind(t.Clock).toConstantValue(overrides.clock ?? Date.now);
  container.bind(t.Logger).toDynamicValue(() => new Logger({ serviceName: 'wildrydes-health' }));
  container.bind(t.Metrics).toDynamicValue(() => new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-health' }));
  container.bind<HealthStore>(t.HealthStore).toDynamicValue(() =>
    overrides.healthStore ?? new DynamoDbHealthStore(clients.documentClient, { tableName: config.healthTable }));
  container.bind<AlertPublisher>(t.AlertPublisher).toDynamicValue(() =>
    overrides.alertPublisher ?? new EventBridgeAlertPublisher(clients.eventBridge, config.eventBus));
  container.bind(t.TrackHealth).toDynamicValue((ctx) => new TrackHealth(ctx.get(t.HealthStore), ctx.get(t.AlertPublisher), config));
  container.bind(t.DetectSilence).toDynamicValue((ctx) => new DetectSilence(ctx.get(t.HealthStore), ctx.get(t.AlertPublisher), config));
  container.bind(t.TrackHealthHandler).toDynamicValue((ctx) => createTrackHealthHandler({
    trackHealth: ctx.get(t.TrackHealth), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics), clock: ctx.get(t.Clock),
  }));
  container.bind(t.DetectSilenceHandler).toDynamicValue((ctx) => createDetectSilenceHandler({
    detectSilence: ctx.get(t.DetectSilence), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics), clock: ctx.get(t.Clock),
  }));
  return container;
}
