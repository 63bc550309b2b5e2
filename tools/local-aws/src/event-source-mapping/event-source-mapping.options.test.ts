import { KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { resolveSettings, type KinesisEventSourceMappingOptions } from './event-source-mapping.options';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';

const valid: KinesisEventSourceMappingOptions = {
  kinesis: new KinesisClient({ region: 'us-east-1' }),
  streamName: 'unicorn-telemetry',
  functionName: 'track-health',
  handler: async () => undefined,
  checkpointStore: new InMemoryCheckpointStore(),
  startingPosition: 'LATEST',
};

describe('resolveSettings', () => {
  it('applies the Lambda defaults', () => {
    expect(resolveSettings(valid)).toMatchObject({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: false,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      pollIntervalMs: 1000,
      maxPayloadBytes: 6 * 1024 * 1024,
      timeoutSeconds: 3,
      tumblingWindowInSeconds: 0,
      maxStateBytes: 1024 * 1024,
    });
  });

  it.each<[string, Partial<KinesisEventSourceMappingOptions>]>([
    ['batchSize 0', { batchSize: 0 }],
    ['batchSize 10001', { batchSize: 10_001 }],
    ['a batching window of 301 s', { maximumBatchingWindowInSeconds: 301 }],
    ['maximumRetryAttempts -2', { maximumRetryAttempts: -2 }],
    ['maximumRetryAttempts 10001', { maximumRetryAttempts: 10_001 }],
    ['maximumRecordAgeInSeconds 59', { maximumRecordAgeInSeconds: 59 }],
    ['maximumRecordAgeInSeconds 604801', { maximumRecordAgeInSeconds: 604_801 }],
    ['AT_TIMESTAMP without a timestamp', { startingPosition: 'AT_TIMESTAMP' }],
    ['a timestamp without AT_TIMESTAMP', { startingPositionTimestamp: new Date() }],
    ['pollIntervalMs 0', { pollIntervalMs: 0 }],
    ['a tumbling window of -1 s', { tumblingWindowInSeconds: -1 }],
    ['a tumbling window of 901 s', { tumblingWindowInSeconds: 901 }],
    ['a tumbling window of 1.5 s', { tumblingWindowInSeconds: 1.5 }],
    ['maxStateBytes 0', { maxStateBytes: 0 }],
  ])('rejects %s as AWS would', (_, options) => {
    expect(() => resolveSettings({ ...valid, ...options })).toThrow(expect.objectContaining({ code: 'ESM_INVALID_CONFIGURATION' }));
  });

  it.each<[string, Partial<KinesisEventSourceMappingOptions>]>([
    ['the largest batch', { batchSize: 10_000, maximumBatchingWindowInSeconds: 300 }],
    ['the record-age bounds', { maximumRecordAgeInSeconds: 60, maximumRetryAttempts: 10_000 }],
    ['AT_TIMESTAMP with a timestamp', { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: new Date() }],
    ['the tumbling-window bounds', { tumblingWindowInSeconds: 900 }],
    ['a 1 s tumbling window', { tumblingWindowInSeconds: 1 }],
  ])('accepts %s', (_, options) => {
    expect(() => resolveSettings({ ...valid, ...options })).not.toThrow();
  });
});
