import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { RESOURCE_NAMES } from '@wildrydes/domain';

export interface AggregationServiceConfig {
  readonly summaryTable: string;
  readonly summaryStream: string;
  readonly emissionLookbackMs: number;
}

/** The aggregation service's settings, validated at cold start. */
export function readAggregationConfig(env: Environment): AggregationServiceConfig {
  const settings = new ServiceSettings(env);
  return {
    summaryTable: settings.text('SUMMARY_TABLE_NAME', RESOURCE_NAMES.summaryTable),
    summaryStream: settings.text('SUMMARY_STREAM_NAME', RESOURCE_NAMES.summaryStream),
    emissionLookbackMs: settings.number('SUMMARY_EMISSION_LOOKBACK_MINUTES', 10, { min: 1, max: 24 * 60 }) * 60_000,
  };
}
