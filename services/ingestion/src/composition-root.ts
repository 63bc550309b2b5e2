import type { S3Client } from '@aws-sdk/client-s3';
import { Container } from 'inversify';
import type { AwsConnection } from '@wildrydes/adapters/clients';
import { createDynamoDbDocumentClient, DynamoDbImportedSummaryStore } from '@wildrydes/adapters/dynamodb';
import { createKinesisClient, KinesisTelemetryStream } from '@wildrydes/adapters/kinesis';
import { createS3Client, S3ImportReportStore, S3Quarantine, S3UploadedFileSource } from '@wildrydes/adapters/s3';
import { lambdaHandler, serviceTelemetry, tracedConnection, type TracerFactory } from '@wildrydes/lambda-kit';
import type { ImportedSummaryStore, ImportReportStore, Quarantine, TelemetryStream, UploadedFileSource } from '@wildrydes/domain';
import { AcceptTelemetry } from './accept-telemetry.use-case';
import { ImportTelemetryFile } from './import-telemetry-file.use-case';
import { createImportUploadHandler } from './import-upload.handler';
import type { IngestionServiceConfig } from './ingestion.config';
import { createPostTelemetryHandler } from './post-telemetry.handler';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const INGESTION_TOKENS = {
  Clock: Symbol.for('ingestion.Clock'),
  Logger: Symbol.for('ingestion.Logger'),
  Metrics: Symbol.for('ingestion.Metrics'),
  S3Client: Symbol.for('ingestion.S3Client'),
  TelemetryStream: Symbol.for('ingestion.TelemetryStream'),
  Quarantine: Symbol.for('ingestion.Quarantine'),
  ImportedSummaryStore: Symbol.for('ingestion.ImportedSummaryStore'),
  UploadedFileSource: Symbol.for('ingestion.UploadedFileSource'),
  ImportReportStore: Symbol.for('ingestion.ImportReportStore'),
  ImportUploadHandler: Symbol.for('ingestion.ImportUploadHandler'),
  PostTelemetryHandler: Symbol.for('ingestion.PostTelemetryHandler'),
} as const;

/** Ports can be replaced (tests bind fakes); the rest is built from them. */
export interface IngestionContainerOverrides {
  /** The Lambda entry points pass `xrayTracer`; locally and in tests nothing is traced. */
  readonly makeTracer?: TracerFactory;
  readonly telemetryStream?: TelemetryStream;
  readonly quarantine?: Quarantine;
  readonly importedSummaryStore?: ImportedSummaryStore;
  readonly uploadedFileSource?: UploadedFileSource;
  readonly importReportStore?: ImportReportStore;
  readonly clock?: () => number;
}

export function createIngestionContainer(config: IngestionServiceConfig, untracedConnection: AwsConnection = {}, overrides: IngestionContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = INGESTION_TOKENS;
  const telemetry = serviceTelemetry('wildrydes-ingestion', process.env, overrides.makeTracer);
  const connection = tracedConnection(untracedConnection, telemetry.tracer);
  container.bind(t.Clock).toConstantValue(overrides.clock ?? Date.now);
  container.bind(t.Logger).toConstantValue(telemetry.logger);
  container.bind(t.Metrics).toConstantValue(telemetry.metrics);
  container.bind<S3Client>(t.S3Client).toDynamicValue(() => createS3Client(connection));
  container.bind<TelemetryStream>(t.TelemetryStream).toDynamicValue(() =>
    overrides.telemetryStream ?? new KinesisTelemetryStream(createKinesisClient(connection), config.telemetryStream));
  container.bind<Quarantine>(t.Quarantine).toDynamicValue((ctx) => overrides.quarantine ?? new S3Quarantine(ctx.get(t.S3Client), config.dataBucket));
  container.bind<ImportedSummaryStore>(t.ImportedSummaryStore).toDynamicValue(() =>
    overrides.importedSummaryStore ?? new DynamoDbImportedSummaryStore(createDynamoDbDocumentClient(connection), config.summaryTable));
  container.bind<UploadedFileSource>(t.UploadedFileSource).toDynamicValue((ctx) => overrides.uploadedFileSource ?? new S3UploadedFileSource(ctx.get(t.S3Client)));
  container.bind<ImportReportStore>(t.ImportReportStore).toDynamicValue((ctx) =>
    overrides.importReportStore ?? new S3ImportReportStore(ctx.get(t.S3Client), config.dataBucket));
  container.bind(t.ImportUploadHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createImportUploadHandler({
    importTelemetryFile: new ImportTelemetryFile(
      ctx.get(t.UploadedFileSource), ctx.get(t.TelemetryStream), ctx.get(t.ImportedSummaryStore), ctx.get(t.Quarantine), ctx.get(t.ImportReportStore),
      { chunkLines: config.importChunkLines, clock: ctx.get(t.Clock) },
    ),
    logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics),
  })));
  container.bind(t.PostTelemetryHandler).toDynamicValue((ctx) => lambdaHandler(telemetry, createPostTelemetryHandler({
    acceptTelemetry: new AcceptTelemetry(ctx.get(t.TelemetryStream), ctx.get(t.Quarantine)),
    maxBodyBytes: config.maxHttpBodyBytes, logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics),
  })));
  return container;
}
