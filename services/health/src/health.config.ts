import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { DEFAULT_HEALTH_POLICY, RESOURCE_NAMES, healthPolicy, type HealthPolicy } from '@wildrydes/domain';

export interface HealthServiceConfig {
  readonly healthTable: string;
  readonly eventBus: string;
  readonly policy: HealthPolicy;
  readonly lastSeenRefreshMs: number;
  readonly maxConflictRetries: number;
}

/**
 * The health service's settings, validated at cold start. Thresholds default to the workshop's (100 warns,
 * 50 is critical, silent after 30 s). The "last seen" refresh defaults to a third of the silence threshold, so a
 * live unicorn is never mistaken for a silent one.
 */
export function readHealthConfig(env: Environment): HealthServiceConfig {
  const settings = new ServiceSettings(env);
  const policy = healthPolicy({
    warnBelow: settings.number('HEALTH_WARN_BELOW', DEFAULT_HEALTH_POLICY.warnBelow),
    criticalBelow: settings.number('HEALTH_CRITICAL_BELOW', DEFAULT_HEALTH_POLICY.criticalBelow),
    recoveryMargin: settings.number('HEALTH_RECOVERY_MARGIN', DEFAULT_HEALTH_POLICY.recoveryMargin, { min: 0 }),
    silenceAfterMs: settings.number('HEALTH_SILENCE_AFTER_SECONDS', DEFAULT_HEALTH_POLICY.silenceAfterMs / 1000, { min: 1 }) * 1000,
  });
  const lastSeenRefreshMs = settings.number('HEALTH_LAST_SEEN_REFRESH_SECONDS', policy.silenceAfterMs / 3000, { min: 0, max: 3600 }) * 1000;
  return {
    healthTable: settings.text('HEALTH_TABLE_NAME', RESOURCE_NAMES.healthTable),
    eventBus: settings.text('EVENT_BUS_NAME', RESOURCE_NAMES.eventBus),
    policy,
    lastSeenRefreshMs,
    maxConflictRetries: settings.number('HEALTH_MAX_CONFLICT_RETRIES', 3, { min: 0, max: 20 }),
  };
}
