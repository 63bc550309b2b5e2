import { describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters';
import { INGESTION_TOKENS, createIngestionContainer } from './composition-root';
import { readIngestionConfig } from './ingestion.config';

describe('ingestion composition root', () => {
  it('builds the container and resolves both handlers from a valid configuration', () => {
    const clients = createAwsClients({ region: 'us-east-1', kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', eventbridge: 'http://127.0.0.1:1' } as never);
    const container = createIngestionContainer(readIngestionConfig({}), clients);
    expect(typeof container.get(INGESTION_TOKENS.ImportUploadHandler)).toBe('function');
    expect(typeof container.get(INGESTION_TOKENS.PostTelemetryHandler)).toBe('function');
    clients.destroy();
  });

  it('defaults to the workshop names and a 1 MiB body limit', () => {
    expect(readIngestionConfig({})).toEqual({
      telemetryStream: 'wildrydes', summaryTable: 'UnicornSensorData', dataBucket: 'wildrydes-data', maxHttpBodyBytes: 1_048_576, importChunkLines: 500,
    });
    expect(readIngestionConfig({ TELEMETRY_STREAM_NAME: 'other', MAX_HTTP_BODY_BYTES: '2048' })).toMatchObject({ telemetryStream: 'other', maxHttpBodyBytes: 2048 });
  });

  it('refuses a bad setting at cold start, naming it', () => {
    expect(() => readIngestionConfig({ MAX_HTTP_BODY_BYTES: 'big' })).toThrow(/MAX_HTTP_BODY_BYTES must be a number/);
    expect(() => readIngestionConfig({ MAX_HTTP_BODY_BYTES: '0' })).toThrow(/MAX_HTTP_BODY_BYTES must be ≥ 1/);
    expect(() => readIngestionConfig({ IMPORT_CHUNK_LINES: '501' })).toThrow(/IMPORT_CHUNK_LINES must be ≤ 500/);
  });
});
