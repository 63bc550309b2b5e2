import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import { Container } from 'inversify';
import type { AwsConnection } from '@wildrydes/adapters/clients';
import { createS3Client, S3ArchiveStore, S3Quarantine } from '@wildrydes/adapters/s3';
import type { ArchiveStore, Quarantine } from '@wildrydes/domain';
import { lambdaHandler, serviceTelemetry, tracedConnection, type HandlerTools, type TracerFactory } from '@wildrydes/lambda-kit';
import type { ArchivalServiceConfig } from './archival.config';
import { createArchiveAlertHandler } from './archive-alert.handler';
import { ArchiveAlert } from './archive-alert.use-case';
import { createArchiveReadingsHandler } from './archive-readings.handler';
import { ArchiveReadings } from './archive-readings.use-case';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const ARCHIVAL_TOKENS = {
  Tools: Symbol.for('archival.Tools'),
  S3Client: Symbol.for('archival.S3Client'),
  ArchiveStore: Symbol.for('archival.ArchiveStore'),
  Quarantine: Symbol.for('archival.Quarantine'),
  ArchiveReadingsHandler: Symbol.for('archival.ArchiveReadingsHandler'),
  ArchiveAlertHandler: Symbol.for('archival.ArchiveAlertHandler'),
} as const;

/** Ports can be replaced (tests bind fakes, or a silent logger); the rest is built from them. */
export interface ArchivalContainerOverrides {
  /** The Lambda entry points pass `xrayTracer`; locally and in tests nothing is traced. */
  readonly makeTracer?: TracerFactory;
  readonly archiveStore?: ArchiveStore;
  readonly quarantine?: Quarantine;
  readonly clock?: () => number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

export function createArchivalContainer(config: ArchivalServiceConfig, untracedConnection: AwsConnection = {}, overrides: ArchivalContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = ARCHIVAL_TOKENS;
  const made = serviceTelemetry('wildrydes-archival', process.env, overrides.makeTracer);
  const telemetry = { ...made, logger: overrides.logger ?? made.logger, metrics: overrides.metrics ?? made.metrics };
  const connection = tracedConnection(untracedConnection, telemetry.tracer);
  container.bind<HandlerTools>(t.Tools).toConstantValue({ logger: telemetry.logger, metrics: telemetry.metrics, clock: overrides.clock ?? Date.now });
  container.bind<S3Client>(t.S3Client).toDynamicValue(() => createS3Client(connection));
  container.bind<ArchiveStore>(t.ArchiveStore).toDynamicValue((ctx) => overrides.archiveStore ?? new S3ArchiveStore(ctx.get(t.S3Client), config.dataBucket));
  container.bind<Quarantine>(t.Quarantine).toDynamicValue((ctx) => overrides.quarantine ?? new S3Quarantine(ctx.get(t.S3Client), config.dataBucket));
  container.bind(t.ArchiveReadingsHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createArchiveReadingsHandler({
    ...ctx.get<HandlerTools>(t.Tools), archiveReadings: new ArchiveReadings(ctx.get(t.ArchiveStore), ctx.get(t.Quarantine)),
  })));
  container.bind(t.ArchiveAlertHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createArchiveAlertHandler({
    ...ctx.get<HandlerTools>(t.Tools), archiveAlert: new ArchiveAlert(ctx.get(t.ArchiveStore), ctx.get(t.Quarantine)),
  })));
  return container;
}
