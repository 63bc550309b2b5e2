/**
 * When a vital is low, critical or recovered, and when a unicorn is silent. Defaults come from the
 * workshop: its extra credit alerted below 100 points, its map dropped a unicorn unseen for 30 s.
 */
export interface HealthPolicy {
  /** A vital below this is low (warning). */
  readonly warnBelow: number;
  /** A vital below this is critical. */
  readonly criticalBelow: number;
  /** A vital must climb this far above a threshold to leave it, so a value hovering at it does not flap. */
  readonly recoveryMargin: number;
  /** A unicorn unseen for longer than this is silent. */
  readonly silenceAfterMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  warnBelow: 100,
  criticalBelow: 50,
  recoveryMargin: 10,
  silenceAfterMs: 30_000,
};

export class InvalidHealthPolicyError extends Error {
  readonly code = 'INVALID_HEALTH_POLICY';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidHealthPolicyError';
  }
}

/** Builds a policy from overrides, refusing one that cannot work (e.g. critical above warning). */
export function healthPolicy(overrides: Partial<HealthPolicy> = {}): HealthPolicy {
  const policy = { ...DEFAULT_HEALTH_POLICY, ...overrides };
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value)) throw new InvalidHealthPolicyError(`${key} must be a finite number, got ${value}`);
  }
  if (policy.criticalBelow > policy.warnBelow) {
    throw new InvalidHealthPolicyError(`criticalBelow (${policy.criticalBelow}) must not exceed warnBelow (${policy.warnBelow})`);
  }
  if (policy.recoveryMargin < 0) throw new InvalidHealthPolicyError(`recoveryMargin must be ≥ 0, got ${policy.recoveryMargin}`);
  if (policy.silenceAfterMs <= 0) throw new InvalidHealthPolicyError(`silenceAfterMs must be > 0, got ${policy.silenceAfterMs}`);
  return policy;
}
