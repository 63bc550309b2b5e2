import type { WildRydesStatefulStackProps } from './stateful-stack';

type ContextSettings = Pick<WildRydesStatefulStackProps, 'destroyData' | 'telemetryStreamCapacity' | 'bytesScannedCutoffPerQuery'>;

export class InvalidContextError extends Error {
  readonly code = 'INVALID_CONTEXT';
  constructor(key: string, value: unknown, expected: string) {
    super(`Context ${key}=${JSON.stringify(value)}: expected ${expected}`);
    this.name = 'InvalidContextError';
  }
}

/**
 * The stateful stack's settings from CDK context. `-c` values arrive as strings, cdk.json values as JSON, so both
 * `true`/`"true"` and `2`/`"2"` are accepted; anything else fails the synth instead of being ignored.
 */
export function statefulStackPropsFromContext(get: (key: string) => unknown): ContextSettings {
  const settings: { -readonly [K in keyof ContextSettings]: ContextSettings[K] } = {};
  const destroyData = get('destroyData');
  if (destroyData !== undefined) {
    if (destroyData !== true && destroyData !== false && destroyData !== 'true' && destroyData !== 'false') {
      throw new InvalidContextError('destroyData', destroyData, 'true or false');
    }
    settings.destroyData = destroyData === true || destroyData === 'true';
  }
  const shards = positiveInteger(get, 'telemetryShards');
  if (shards !== undefined) settings.telemetryStreamCapacity = { mode: 'provisioned', shards };
  const cutoff = positiveInteger(get, 'bytesScannedCutoffPerQuery');
  if (cutoff !== undefined) settings.bytesScannedCutoffPerQuery = cutoff;
  return settings;
}

function positiveInteger(get: (key: string) => unknown, key: string): number | undefined {
  const value = get(key);
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InvalidContextError(key, value, 'a positive integer');
  return n;
}
