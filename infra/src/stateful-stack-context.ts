import { checkStage, DEFAULT_STAGE, InvalidStageError } from '@wildrydes/domain';
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

/**
 * The stage to synthesize: context `stage` (`cdk deploy -c stage=dev`; through Nx, after `--`:
 * `nx deploy health -- -c stage=dev`), else the default stage. A name that is not a stage fails the synth.
 */
export function stageFromContext(get: (key: string) => unknown): string {
  const stage = get('stage');
  if (stage === undefined) return DEFAULT_STAGE;
  if (typeof stage !== 'string') throw new InvalidContextError('stage', stage, 'a stage name');
  return checkedStage(stage);
}

function checkedStage(stage: string): string {
  try {
    return checkStage(stage);
  } catch (error) {
    if (error instanceof InvalidStageError) throw new InvalidContextError('stage', stage, error.message.replace(/^stage "[^"]*": expected /, ''));
    throw error;
  }
}

/** `alarmEmail`: the address subscribed to the stage's alarm topic, if any. */
export function alarmEmailFromContext(get: (key: string) => unknown): string | undefined {
  const email = get('alarmEmail');
  if (email === undefined || email === '') return undefined;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new InvalidContextError('alarmEmail', email, 'an e-mail address');
  return email;
}
