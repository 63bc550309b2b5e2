import { describe, expect, it } from 'vitest';
import type { AwsConnection, AwsServiceName, SdkClient } from '@wildrydes/adapters/clients';
import { INGESTION_TOKENS, createIngestionContainer } from './composition-root';
import { readIngestionConfig } from './ingestion.config';

describe('ingestion composition root', () => {
  it('builds the container and resolves both handlers from a valid configuration', () => {
    const made: [AwsServiceName, SdkClient][] = [];
    const connection: AwsConnection = { region: 'us-east-1', endpoints: {}, onClient: (client, service) => made.push([service, client]) };
    const container = createIngestionContainer(readIngestionConfig({}), connection);
    expect(typeof container.get(INGESTION_TOKENS.ImportUploadHandler)).toBe('function');
    expect(typeof container.get(INGESTION_TOKENS.PostTelemetryHandler)).toBe('function');
    // Only the clients this service's ports use are made (a Lambda bundle pulls in only their SDK packages).
    expect([...new Set(made.map(([service]) => service))].sort()).toEqual(['dynamodb', 'kinesis', 's3']);
    made.forEach(([, client]) => client.destroy());
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
