import { createAlert, type AlertKind, type UnicornAlert } from '../alert/unicorn-alert';
import { vitalValue, type Reading, type Vital } from '../reading/reading';
import type { UnstoredHealth } from '../ports/health-store.port';
import type { HealthPolicy } from './health-policy';

export type VitalLevel = 'ok' | 'warning' | 'critical';

/** A unicorn's current health: its latest reading, the level of each vital, and whether it has gone silent. */
export interface UnicornHealthState {
  readonly name: string;
  /** Time of the latest reading applied (epoch ms); older readings never change the state. */
  readonly lastReadingTime: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly magicPoints: number;
  readonly healthPoints: number;
  readonly levels: Readonly<Record<Vital, VitalLevel>>;
  readonly silent: boolean;
}

export interface HealthUpdate {
  readonly state: UnicornHealthState | undefined;
  /** One alert per transition, in the order they happened. */
  readonly alerts: UnicornAlert[];
  /** A level or silence changed: the store must write this at once. */
  readonly levelsChanged: boolean;
  /** The latest reading moved forward (a "last seen" refresh, which the store may coalesce). */
  readonly advanced: boolean;
}

/**
 * The next level of a vital, with hysteresis: entering a worse level happens as soon as the value crosses
 * its threshold; leaving it needs the value to climb `recoveryMargin` above the threshold.
 */
export function nextLevel(current: VitalLevel, value: number, policy: HealthPolicy): VitalLevel {
  if (value < policy.criticalBelow) return 'critical';
  if (current === 'ok') return value < policy.warnBelow ? 'warning' : 'ok';
  if (value >= policy.warnBelow + policy.recoveryMargin) return 'ok';
  if (current === 'critical') return value >= policy.criticalBelow + policy.recoveryMargin ? 'warning' : 'critical';
  return 'warning';
}

const KIND_OF_LEVEL: Readonly<Record<VitalLevel, AlertKind>> = { ok: 'VitalRecovered', warning: 'VitalLow', critical: 'VitalCritical' };

function thresholdOf(level: VitalLevel, policy: HealthPolicy): number {
  return level === 'critical' ? policy.criticalBelow : policy.warnBelow;
}

type Levels = Readonly<Record<Vital, VitalLevel>>;
const LEVELS: readonly VitalLevel[] = ['ok', 'warning', 'critical'];
// Only nine combinations exist: sharing them keeps a tracked unicorn's state small (100,000 unicorns in memory).
const INTERNED_LEVELS: readonly Levels[] = LEVELS.flatMap((magic) => LEVELS.map((health) => Object.freeze({ MagicPoints: magic, HealthPoints: health })));
const levelsOf = (magic: VitalLevel, health: VitalLevel): Levels => INTERNED_LEVELS[LEVELS.indexOf(magic) * 3 + LEVELS.indexOf(health)]!;
const OK_LEVELS = levelsOf('ok', 'ok');

/** The state of a unicorn healthy since its first reading, from what its shard's record keeps of it. */
export function healthyState(name: string, lastReadingTime: number, at: UnstoredHealth): UnicornHealthState {
  return {
    name, lastReadingTime, latitude: at.latitude, longitude: at.longitude,
    magicPoints: at.magicPoints, healthPoints: at.healthPoints, levels: OK_LEVELS, silent: false,
  };
}

/** Whether a state is what a unicorn's first readings give when nothing happened: all levels ok, not silent. */
export function isHealthy(state: UnicornHealthState): boolean {
  return state.levels.MagicPoints === 'ok' && state.levels.HealthPoints === 'ok' && !state.silent;
}

/**
 * Applies a unicorn's readings to its state. Readings at or before the state's latest are ignored, so
 * duplicate and out-of-order delivery cannot make a vital flap or an alert repeat.
 */
export function applyReadings(previous: UnicornHealthState | undefined, readings: readonly Reading[], policy: HealthPolicy): HealthUpdate {
  const ordered = readings.length > 1 ? [...readings].sort((a, b) => a.time - b.time) : readings;
  let state = previous;
  const alerts: UnicornAlert[] = [];
  let levelsChanged = false;
  let advanced = false;
  for (const reading of ordered) {
    if (state !== undefined && reading.time <= state.lastReadingTime) continue;
    if (state !== undefined && reading.name !== state.name) continue;
    advanced = true;
    const before = state?.levels ?? OK_LEVELS;
    const magic = judgeVital(reading, 'MagicPoints', before.MagicPoints, policy, alerts);
    const health = judgeVital(reading, 'HealthPoints', before.HealthPoints, policy, alerts);
    if (magic !== before.MagicPoints || health !== before.HealthPoints) levelsChanged = true;
    if (state?.silent === true) {
      levelsChanged = true;
      alerts.push(createAlert({
        name: reading.name, kind: 'UnicornBack', vital: null, value: null, threshold: null,
        readingTime: reading.time, latitude: reading.latitude, longitude: reading.longitude,
      }));
    }
    state = {
      // The stored name is reused so that each tracked unicorn holds one copy of it.
      name: state?.name ?? reading.name, lastReadingTime: reading.time, latitude: reading.latitude, longitude: reading.longitude,
      magicPoints: reading.magicPoints, healthPoints: reading.healthPoints, levels: levelsOf(magic, health), silent: false,
    };
  }
  if (previous === undefined && state !== undefined) levelsChanged = true;
  return { state, alerts, levelsChanged, advanced };
}

/** The vital's next level; a change is recorded as an alert. */
function judgeVital(reading: Reading, vital: Vital, current: VitalLevel, policy: HealthPolicy, alerts: UnicornAlert[]): VitalLevel {
  const value = vitalValue(reading, vital);
  const level = nextLevel(current, value, policy);
  if (level !== current) {
    alerts.push(createAlert({
      name: reading.name, kind: KIND_OF_LEVEL[level], vital, value,
      threshold: level === 'ok' ? thresholdOf(current, policy) : thresholdOf(level, policy),
      readingTime: reading.time, latitude: reading.latitude, longitude: reading.longitude,
    }));
  }
  return level;
}

/** Marks a unicorn silent when it has not reported for longer than the policy allows at `now`. */
export function detectSilence(state: UnicornHealthState, now: number, policy: HealthPolicy): HealthUpdate {
  if (state.silent || now - state.lastReadingTime <= policy.silenceAfterMs) {
    return { state, alerts: [], levelsChanged: false, advanced: false };
  }
  const alert = createAlert({
    name: state.name, kind: 'UnicornSilent', vital: null, value: null, threshold: policy.silenceAfterMs / 1000,
    readingTime: state.lastReadingTime, latitude: state.latitude, longitude: state.longitude,
  });
  return { state: { ...state, silent: true }, alerts: [alert], levelsChanged: true, advanced: false };
}
