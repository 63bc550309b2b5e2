import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { RESOURCE_NAMES } from '@wildrydes/domain';

export interface ArchivalServiceConfig {
  /** The data bucket that holds `raw/`, `rejected/` and `alerts/`. */
  readonly dataBucket: string;
}

/** The archival service's settings, validated at cold start: a bad one fails the function with its name. */
export function readArchivalConfig(env: Environment): ArchivalServiceConfig {
  const settings = new ServiceSettings(env);
  return {
    dataBucket: settings.text('DATA_BUCKET_NAME', RESOURCE_NAMES.dataBucket),
  };
}
