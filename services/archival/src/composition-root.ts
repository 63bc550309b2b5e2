import 'reflect-metadata';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Container } from 'inversify';
import { S3ArchiveStore, S3Quarantine, type AwsClients } from '@wildrydes/adapters';
import type { ArchiveStore, Quarantine } from '@wildrydes/domain';
import type { ArchivalServiceConfig } from './archival.config';
import { createArchiveAlertHandler } from './archive-alert.handler';
import { ArchiveAlert } from './archive-alert.use-case';
import { createArchiveReadingsHandler } from './archive-readings.handler';
import { ArchiveReadings } from './archive-readings.use-case';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const ARCHIVAL_TOKENS = {
  Config: Symbol.for('archival.Config'),
  Clock: Symbol.for('archival.Clock'),
  Logger: Symbol.for('archival.Logger'),
  Metrics: Symbol.for('archival.Metrics'),
  ArchiveStore: Symbol.for('archival.ArchiveStore'),
  Quarantine: Symbol.for('archival.Quarantine'),
  ArchiveReadings: Symbol.for('archival.ArchiveReadings'),
  ArchiveAlert: Symbol.for('archival.ArchiveAlert'),
  ArchiveReadingsHandler: Symbol.for('archival.ArchiveReadingsHandler'),
  ArchiveAlertHandler: Symbol.for('archival.ArchiveAlertHandler'),
} as const;

export type ArchivalClients = Pick<AwsClients, 's3'>;

/** Ports can be replaced (tests bind fakes, or a silent logger); the rest is built from them. */
export interface ArchivalContainerOverrides {
  readonly archiveStore?: ArchiveStore;
  readonly quarantine?: Quarantine;
  readonly clock?: () => number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

export function createArchivalContainer(config: ArchivalServiceConfig, clients: ArchivalClients, overrides: ArchivalContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = ARCHIVAL_TOKENS;
  container.bind(t.Config).toConstantValue(config);
  container.bind(t.Clock).toConstantValue(overrides.clock ?? Date.now);
  container.bind(t.Logger).toDynamicValue(() => overrides.logger ?? new Logger({ serviceName: 'wildrydes-archival' }));
  container.bind(t.Metrics).toDynamicValue(() => overrides.metrics ?? new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-archival' }));
  container.bind<ArchiveStore>(t.ArchiveStore).toDynamicValue(() => overrides.archiveStore ?? new S3ArchiveStore(clients.s3, config.dataBucket));
  container.bind<Quarantine>(t.Quarantine).toDynamicValue(() => overrides.quarantine ?? new S3Quarantine(clients.s3, config.dataBucket));
  container.bind(t.ArchiveReadings).toDynamicValue((ctx) => new ArchiveReadings(ctx.get(t.ArchiveStore), ctx.get(t.Quarantine)));
  container.bind(t.ArchiveAlert).toDynamicValue((ctx) => new ArchiveAlert(ctx.get(t.ArchiveStore), ctx.get(t.Quarantine)));
  container.bind(t.ArchiveReadingsHandler).toDynamicValue((ctx) => createArchiveReadingsHandler({
    archiveReadings: ctx.get(t.ArchiveReadings), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics), clock: ctx.get(t.Clock),
  }));
  container.bind(t.ArchiveAlertHandler).toDynamicValue((ctx) => createArchiveAlertHandler({
    archiveAlert: ctx.get(t.ArchiveAlert), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics), clock: ctx.get(t.Clock),
  }));
  return container;
}
