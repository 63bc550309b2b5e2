/**
 * Capped exponential backoff with full jitter (the AWS Architecture Blog's recommendation): the n-th wait is
 * uniform in [0, min(cap, base·2ⁿ)]. Jitter spreads retries of many writers so they do not collide again.
 */
export interface BackoffPolicy {
  /** Retries after the first attempt before giving up. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxRetries: 8, baseDelayMs: 50, maxDelayMs: 5_000 };

/** Injected so tests run without real waits and without randomness. */
export interface BackoffEnvironment {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const REAL_BACKOFF_ENVIRONMENT: BackoffEnvironment = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Sends `pending` items with `attempt`, which returns the items that still need sending (throttled or
 * unprocessed ones); retries only those, with backoff, until none remain or the retries run out. Returns
 * what could not be sent, and how many items were retried along the way.
 */
export async function retryUnprocessed<T>(
  pending: readonly T[],
  attempt: (items: readonly T[]) => Promise<readonly T[]>,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  environment: BackoffEnvironment = REAL_BACKOFF_ENVIRONMENT,
): Promise<{ readonly unsent: readonly T[]; readonly retried: number }> {
  let remaining = pending;
  let retried = 0;
  for (let n = 0; remaining.length > 0; n++) {
    if (n > 0) {
      if (n > policy.maxRetries) break;
      retried += remaining.length;
      await environment.sleep(backoffDelayMs(n - 1, policy, environment.random));
    }
    remaining = await attempt(remaining);
  }
  return { unsent: remaining, retried };
}

/** Splits items into chunks of at most `size` (service batch limits: 500 Kinesis records, 25 DynamoDB writes, 10 events). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
