import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { RESOURCE_NAMES, STREAM_MAPPINGS } from '@wildrydes/domain';

export interface AggregationServiceConfig {
  readonly summaryTable: string;
  readonly summaryStream: string;
  readonly emissionLookbackMs: number;
}

/** The mapping's tumbling window, in whole minutes: the shortest lookback that finds what the previous window flushed. */
const WINDOW_MINUTES = Math.ceil((STREAM_MAPPINGS.aggregation.tumblingWindowSeconds ?? 60) / 60);

/** The aggregation service's settings, validated at cold start. */
export function readAggregationConfig(env: Environment): AggregationServiceConfig {
  const settings = new ServiceSettings(env);
  return {
    summaryTable: settings.text('SUMMARY_TABLE_NAME', RESOURCE_NAMES.summaryTable),
    summaryStream: settings.text('SUMMARY_STREAM_NAME', RESOURCE_NAMES.summaryStream),
    emissionLookbackMs: settings.number('SUMMARY_EMISSION_LOOKBACK_MINUTES', WINDOW_MINUTES, { min: WINDOW_MINUTES, max: 24 * 60 }) * 60_000,
  };
}
