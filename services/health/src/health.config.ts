import { ServiceSettings, type Environment } from '@wildrydes/lambda-kit';
import { DEFAULT_HEALTH_POLICY, RESOURCE_NAMES, healthPolicy, type HealthPolicy } from '@wildrydes/domain';

export interface HealthServiceConfig {
  readonly healthTable: string;
  readonly eventBus: string;
  /** The telemetry stream the silence scan asks whether an unsaved shard is idle or behind. */
  readonly telemetryStream: string;
  readonly policy: HealthPolicy;
  /** How often each shard's last-seen record is saved. */
  readonly lastSeenSaveIntervalMs: number;
  /** The silence scan judges a shard by the clock once its last-seen record is this old (nothing to process). */
  readonly idleShardAfterMs: number;
  readonly maxConflictRetries: number;
  /** New unicorns' first states written per batch at most; the others wait in their shard's record. */
  readonly firstStateWritesPerBatch: number;
  /** Unicorns without an item a shard's record carries at most; past it first states are written at once. */
  readonly maxUnstoredPerShard: number;
}

/**
 * The health service's settings, validated at cold start. Thresholds default to the domain's policy (the
 * workshop's: 100 warns, 50 is critical, silent after 30 s). Each shard's last-seen record is saved every 10 s
 * by default; a shard whose record is three intervals old is judged idle by the silence scan.
 */
export function readHealthConfig(env: Environment): HealthServiceConfig {
  const settings = new ServiceSettings(env);
  const policy = healthPolicy({
    warnBelow: settings.number('HEALTH_WARN_BELOW', DEFAULT_HEALTH_POLICY.warnBelow),
    criticalBelow: settings.number('HEALTH_CRITICAL_BELOW', DEFAULT_HEALTH_POLICY.criticalBelow),
    recoveryMargin: settings.number('HEALTH_RECOVERY_MARGIN', DEFAULT_HEALTH_POLICY.recoveryMargin, { min: 0 }),
    silenceAfterMs: settings.number('HEALTH_SILENCE_AFTER_SECONDS', DEFAULT_HEALTH_POLICY.silenceAfterMs / 1000, { min: 1 }) * 1000,
  });
  const lastSeenSaveIntervalMs = settings.number('HEALTH_LAST_SEEN_SAVE_SECONDS', 10, { min: 1, max: 300 }) * 1000;
  return {
    healthTable: settings.text('HEALTH_TABLE_NAME', RESOURCE_NAMES.healthTable),
    eventBus: settings.text('EVENT_BUS_NAME', RESOURCE_NAMES.eventBus),
    telemetryStream: settings.text('TELEMETRY_STREAM_NAME', RESOURCE_NAMES.telemetryStream),
    policy,
    lastSeenSaveIntervalMs,
    idleShardAfterMs: 3 * lastSeenSaveIntervalMs,
    maxConflictRetries: settings.number('HEALTH_MAX_CONFLICT_RETRIES', 3, { min: 0, max: 20 }),
    firstStateWritesPerBatch: settings.number('HEALTH_FIRST_STATE_WRITES_PER_BATCH', 25, { min: 0, max: 10_000 }),
    // ~17 bytes each in the record, whose item must stay below DynamoDB's 400 KB.
    maxUnstoredPerShard: settings.number('HEALTH_MAX_UNSTORED_PER_SHARD', 2_000, { min: 0, max: 10_000 }),
  };
}
