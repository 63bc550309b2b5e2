import 'reflect-metadata';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Container } from 'inversify';
import { DynamoDbBatchWriter, KinesisTelemetryStream, S3Quarantine, type AwsClients } from '@wildrydes/adapters';
import { TABLE_KEYS, type Quarantine, type TelemetryStream } from '@wildrydes/domain';
import { AcceptTelemetry } from './accept-telemetry.use-case';
import type { ImportReportStore } from './import-report-store.port';
import { ImportTelemetryFile } from './import-telemetry-file.use-case';
import { createImportUploadHandler } from './import-upload.handler';
import type { IngestionServiceConfig } from './ingestion.config';
import type { ItemBatchWriter } from './item-batch-writer.port';
import { createPostTelemetryHandler } from './post-telemetry.handler';
import { S3ImportReportStore } from './s3-import-report-store';
import { S3UploadedFileSource } from './s3-uploaded-file-source';
import type { UploadedFileSource } from './uploaded-file-source.port';

/** The one place that knows which adapter serves which port. Everything else takes plain constructor arguments. */
export const INGESTION_TOKENS = {
  Config: Symbol.for('ingestion.Config'),
  Clock: Symbol.for('ingestion.Clock'),
  Logger: Symbol.for('ingestion.Logger'),
  Metrics: Symbol.for('ingestion.Metrics'),
  TelemetryStream: Symbol.for('ingestion.TelemetryStream'),
  Quarantine: Symbol.for('ingestion.Quarantine'),
  SummaryWriter: Symbol.for('ingestion.SummaryWriter'),
  UploadedFileSource: Symbol.for('ingestion.UploadedFileSource'),
  ImportReportStore: Symbol.for('ingestion.ImportReportStore'),
  ImportTelemetryFile: Symbol.for('ingestion.ImportTelemetryFile'),
  AcceptTelemetry: Symbol.for('ingestion.AcceptTelemetry'),
  ImportUploadHandler: Symbol.for('ingestion.ImportUploadHandler'),
  PostTelemetryHandler: Symbol.for('ingestion.PostTelemetryHandler'),
} as const;

export type IngestionClients = Pick<AwsClients, 'kinesis' | 'documentClient' | 's3'>;

/** Ports can be replaced (tests bind fakes); the rest is built from them. */
export interface IngestionContainerOverrides {
  readonly telemetryStream?: TelemetryStream;
  readonly quarantine?: Quarantine;
  readonly summaryWriter?: ItemBatchWriter;
  readonly uploadedFileSource?: UploadedFileSource;
  readonly importReportStore?: ImportReportStore;
  readonly clock?: () => number;
}

export function createIngestionContainer(config: IngestionServiceConfig, clients: IngestionClients, overrides: IngestionContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const t = INGESTION_TOKENS;
  container.bind(t.Config).toConstantValue(config);
  container.bind(t.Clock).toConstantValue(overrides.clock ?? Date.now);
  container.bind(t.Logger).toDynamicValue(() => new Logger({ serviceName: 'wildrydes-ingestion' }));
  container.bind(t.Metrics).toDynamicValue(() => new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-ingestion' }));
  container.bind<TelemetryStream>(t.TelemetryStream).toDynamicValue(() =>
    overrides.telemetryStream ?? new KinesisTelemetryStream(clients.kinesis, config.telemetryStream));
  container.bind<Quarantine>(t.Quarantine).toDynamicValue(() => overrides.quarantine ?? new S3Quarantine(clients.s3, config.dataBucket));
  container.bind<ItemBatchWriter>(t.SummaryWriter).toDynamicValue(() =>
    overrides.summaryWriter ?? new DynamoDbBatchWriter(clients.documentClient, TABLE_KEYS.UnicornSensorData));
  container.bind<UploadedFileSource>(t.UploadedFileSource).toDynamicValue(() => overrides.uploadedFileSource ?? new S3UploadedFileSource(clients.s3));
  container.bind<ImportReportStore>(t.ImportReportStore).toDynamicValue(() =>
    overrides.importReportStore ?? new S3ImportReportStore(clients.s3, config.dataBucket));
  container.bind(t.ImportTelemetryFile).toDynamicValue((ctx) => new ImportTelemetryFile(
    ctx.get(t.UploadedFileSource), ctx.get(t.TelemetryStream), ctx.get(t.SummaryWriter), ctx.get(t.Quarantine), ctx.get(t.ImportReportStore),
    { summaryTable: config.summaryTable, chunkLines: config.importChunkLines, clock: ctx.get(t.Clock) },
  ));
  container.bind(t.AcceptTelemetry).toDynamicValue((ctx) => new AcceptTelemetry(ctx.get(t.TelemetryStream), ctx.get(t.Quarantine)));
  container.bind(t.ImportUploadHandler).toDynamicValue((ctx) => createImportUploadHandler({
    importTelemetryFile: ctx.get(t.ImportTelemetryFile), logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics),
  }));
  container.bind(t.PostTelemetryHandler).toDynamicValue((ctx) => createPostTelemetryHandler({
    acceptTelemetry: ctx.get(t.AcceptTelemetry), maxBodyBytes: config.maxHttpBodyBytes, logger: ctx.get(t.Logger), metrics: ctx.get(t.Metrics),
  }));
  return container;
}
