import type { Vital } from '../reading/reading';
import { formatStatusTime } from '../time/status-time';
import { stableId } from './stable-id';
import unicornAlertSchema from './unicorn-alert.schema.json';

/**
 * The `unicorn-alert` contract on the `wildrydes` bus. The detail carries `schemaVersion`; a change that
 * breaks subscribers gets a new version, and both are published side by side until subscribers move.
 */
export const UNICORN_ALERT = {
  source: 'wildrydes.health',
  detailType: 'unicorn-alert',
  schemaVersion: '1',
} as const;

/** The published JSON Schema (draft-04) of the event, for subscribers and the EventBridge schema registry. */
export const UNICORN_ALERT_SCHEMA: Readonly<Record<string, unknown>> = unicornAlertSchema;

/** The EventBridge pattern that selects every `unicorn-alert` event; subscribers narrow it further (e.g. by severity). */
export const UNICORN_ALERT_EVENT_PATTERN = {
  source: [UNICORN_ALERT.source],
  'detail-type': [UNICORN_ALERT.detailType],
} as const;

export const ALERT_KINDS = ['VitalLow', 'VitalCritical', 'VitalRecovered', 'UnicornSilent', 'UnicornBack'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const SEVERITY_OF: Readonly<Record<AlertKind, AlertSeverity>> = {
  VitalLow: 'warning',
  VitalCritical: 'critical',
  VitalRecovered: 'info',
  UnicornSilent: 'warning',
  UnicornBack: 'info',
};

/** The detail of a `unicorn-alert` event. */
export interface UnicornAlert {
  readonly schemaVersion: typeof UNICORN_ALERT.schemaVersion;
  /** Deterministic from (name, kind, vital, reading time): a replayed alert has the same id, so subscribers can drop it. */
  readonly alertId: string;
  readonly name: string;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** The vital concerned; null for silence alerts. */
  readonly vital: Vital | null;
  readonly value: number | null;
  readonly threshold: number | null;
  /** The time of the reading that caused it (for silence: the last reading seen), `YYYY-MM-DD HH:MM:SS.mmm` UTC. */
  readonly readingTime: string;
  readonly latitude: number;
  readonly longitude: number;
}

export interface AlertFacts {
  readonly name: string;
  readonly kind: AlertKind;
  readonly vital: Vital | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly readingTime: number;
  readonly latitude: number;
  readonly longitude: number;
}

/** Alert ids depend only on what happened, never on when or how often it was processed. */
export const alertId = (name: string, kind: AlertKind, vital: Vital | null, readingTime: number): string =>
  stableId(`${name}\u0000${kind}\u0000${vital ?? ''}\u0000${readingTime}`);

export function createAlert(facts: AlertFacts): UnicornAlert {
  return {
    schemaVersion: UNICORN_ALERT.schemaVersion,
    alertId: alertId(facts.name, facts.kind, facts.vital, facts.readingTime),
    name: facts.name,
    kind: facts.kind,
    severity: SEVERITY_OF[facts.kind],
    vital: facts.vital,
    value: facts.value,
    threshold: facts.threshold,
    readingTime: formatStatusTime(facts.readingTime),
    latitude: facts.latitude,
    longitude: facts.longitude,
  };
}

export class InvalidAlertError extends Error {
  readonly code = 'INVALID_ALERT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAlertError';
  }
}

/** Validates an alert detail received from the bus (subscribers should not trust their input either). */
export function parseUnicornAlert(detail: unknown): UnicornAlert {
  if (typeof detail !== 'object' || detail === null) throw new InvalidAlertError('alert detail must be an object');
  const d = detail as Record<string, unknown>;
  const str = (k: string): string => { const v = d[k]; if (typeof v !== 'string' || v === '') throw new InvalidAlertError(`${k} must be a non-empty string`); return v; };
  const numOrNull = (k: string): number | null => { const v = d[k]; if (v === null) return null; if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidAlertError(`${k} must be a number or null`); return v; };
  const num = (k: string): number => { const v = numOrNull(k); if (v === null) throw new InvalidAlertError(`${k} must be a number`); return v; };
  if (d['schemaVersion'] !== UNICORN_ALERT.schemaVersion) throw new InvalidAlertError(`unsupported schemaVersion ${String(d['schemaVersion'])}`);
  const kind = str('kind');
  if (!(ALERT_KINDS as readonly string[]).includes(kind)) throw new InvalidAlertError(`unknown kind ${kind}`);
  const severity = str('severity');
  if (!(ALERT_SEVERITIES as readonly string[]).includes(severity)) throw new InvalidAlertError(`unknown severity ${severity}`);
  const vital = d['vital'];
  if (vital !== null && vital !== 'MagicPoints' && vital !== 'HealthPoints') throw new InvalidAlertError('vital must be MagicPoints, HealthPoints or null');
  return {
    schemaVersion: UNICORN_ALERT.schemaVersion,
    alertId: str('alertId'), name: str('name'), kind: kind as AlertKind, severity: severity as AlertSeverity,
    vital, value: numOrNull('value'), threshold: numOrNull('threshold'), readingTime: str('readingTime'),
    latitude: num('latitude'), longitude: num('longitude'),
  };
}
