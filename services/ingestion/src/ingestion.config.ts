import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { RESOURCE_NAMES } from '@wildrydes/domain';

export interface IngestionServiceConfig {
  readonly telemetryStream: string;
  readonly summaryTable: string;
  /** Where the quarantine (`rejected/`) and the import reports (`reports/`) are written. */
  readonly dataBucket: string;
  readonly maxHttpBodyBytes: number;
  /** Lines per chunk of a file import (one PutRecords call at most). */
  readonly importChunkLines: number;
}

/** 1 MiB, the limit for one POST /telemetry. */
export const DEFAULT_MAX_HTTP_BODY_BYTES = 1_048_576;

/** The ingestion service's settings, validated at cold start; names default to the workshop's. */
export function readIngestionConfig(env: Environment): IngestionServiceConfig {
  const settings = new ServiceSettings(env);
  return {
    telemetryStream: settings.text('TELEMETRY_STREAM_NAME', RESOURCE_NAMES.telemetryStream),
    summaryTable: settings.text('SUMMARY_TABLE_NAME', RESOURCE_NAMES.summaryTable),
    dataBucket: settings.text('DATA_BUCKET_NAME', RESOURCE_NAMES.dataBucket),
    // API Gateway takes 10 MB and a synchronous Lambda 6 MB; past that the setting could never be honoured.
    maxHttpBodyBytes: Math.floor(settings.number('MAX_HTTP_BODY_BYTES', DEFAULT_MAX_HTTP_BODY_BYTES, { min: 1, max: 6 * 1024 * 1024 })),
    importChunkLines: Math.floor(settings.number('IMPORT_CHUNK_LINES', 500, { min: 1, max: 500 })),
  };
}
