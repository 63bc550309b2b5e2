import { describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters';
import { readAggregationConfig } from './aggregation.config';
import { AGGREGATION_TOKENS, createAggregationContainer } from './composition-root';

describe('aggregation composition root', () => {
  it('builds the container and resolves the handler', () => {
    const clients = createAwsClients({ region: 'us-east-1', kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', eventbridge: 'http://127.0.0.1:1' } as never);
    const container = createAggregationContainer(readAggregationConfig({}), clients);
    expect(typeof container.get(AGGREGATION_TOKENS.AggregateMinutesHandler)).toBe('function');
    clients.destroy();
  });

  it('refuses a bad setting, naming it, and defaults to the workshop names', () => {
    expect(() => readAggregationConfig({ SUMMARY_EMISSION_LOOKBACK_MINUTES: '0' })).toThrow(/SUMMARY_EMISSION_LOOKBACK_MINUTES must be ≥ 1/);
    expect(readAggregationConfig({})).toEqual({ summaryTable: 'UnicornSensorData', summaryStream: 'wildrydes-summary', emissionLookbackMs: 600_000 });
  });
});
