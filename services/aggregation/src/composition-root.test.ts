import { describe, expect, it } from 'vitest';
import type { AwsConnection, AwsServiceName, SdkClient } from '@wildrydes/adapters/clients';
import { readAggregationConfig } from './aggregation.config';
import { AGGREGATION_TOKENS, createAggregationContainer } from './composition-root';

describe('aggregation composition root', () => {
  it('builds the container and resolves the handler', () => {
    const made: [AwsServiceName, SdkClient][] = [];
    const connection: AwsConnection = { region: 'us-east-1', endpoints: {}, onClient: (client, service) => made.push([service, client]) };
    const container = createAggregationContainer(readAggregationConfig({}), connection);
    expect(typeof container.get(AGGREGATION_TOKENS.AggregateMinutesHandler)).toBe('function');
    // Only the clients this service's ports use are made (a Lambda bundle pulls in only their SDK packages).
    expect([...new Set(made.map(([service]) => service))].sort()).toEqual(['dynamodb', 'kinesis']);
    made.forEach(([, client]) => client.destroy());
  });

  it('refuses a bad setting, naming it, and defaults to the workshop names', () => {
    // The lookback may not be shorter than the 15-minute tumbling window: it would miss what the last window flushed.
    expect(() => readAggregationConfig({ SUMMARY_EMISSION_LOOKBACK_MINUTES: '10' })).toThrow(/SUMMARY_EMISSION_LOOKBACK_MINUTES must be ≥ 15/);
    expect(readAggregationConfig({})).toEqual({ summaryTable: 'UnicornSensorData', summaryStream: 'wildrydes-summary', emissionLookbackMs: 900_000 });
  });
});
