import { describe, expect, it } from 'vitest';
import schema from './unicorn-alert.schema.json';
import vitalLow from './examples/vital-low.json';
import vitalCritical from './examples/vital-critical.json';
import vitalRecovered from './examples/vital-recovered.json';
import unicornSilent from './examples/unicorn-silent.json';
import unicornBack from './examples/unicorn-back.json';
import { ALERT_KINDS, ALERT_SEVERITIES, InvalidAlertError, UNICORN_ALERT, alertId, createAlert, parseUnicornAlert } from './unicorn-alert';
import { stableId } from './stable-id';

type Schema = { type?: string | string[]; enum?: unknown[]; required?: string[]; properties?: Record<string, Schema>; additionalProperties?: boolean;
  pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; items?: Schema; $ref?: string };

/** The Draft-4 subset the schema uses, enough to prove fixtures and produced alerts conform to the published file. */
function validate(value: unknown, s: Schema, root: Schema & { definitions?: Record<string, Schema> }, path = '$'): string[] {
  if (s.$ref !== undefined) return validate(value, root.definitions![s.$ref.replace('#/definitions/', '')]!, root, path);
  const errors: string[] = [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v);
  if (s.type !== undefined && ![s.type].flat().includes(typeOf(value))) errors.push(`${path}: type ${typeOf(value)}`);
  if (s.enum !== undefined && !s.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) errors.push(`${path}: pattern`);
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${path}: minLength`);
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push(`${path}: maxLength`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${path}: minimum`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${path}: maximum`);
  }
  if (Array.isArray(value) && s.items !== undefined) value.forEach((v, i) => errors.push(...validate(v, s.items!, root, `${path}[${i}]`)));
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) errors.push(`${path}.${k}: required`);
    for (const [k, v] of Object.entries(o)) {
      const sub = s.properties?.[k];
      if (sub !== undefined) errors.push(...validate(v, sub, root, `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}.${k}: not allowed`);
    }
  }
  return errors;
}

const examples = { vitalLow, vitalCritical, vitalRecovered, unicornSilent, unicornBack };
const T = Date.UTC(2026, 10, 22, 10, 15, 3, 120);

describe('unicorn-alert contract', () => {
  it.each(Object.entries(examples))('example %s conforms to the schema and parses', (_name, event) => {
    expect(validate(event, schema as Schema, schema)).toEqual([]);
    expect(event.source).toBe(UNICORN_ALERT.source);
    expect(event['detail-type']).toBe(UNICORN_ALERT.detailType);
    expect(parseUnicornAlert(event.detail)).toEqual(event.detail);
  });

  it('publishes exactly the kinds and severities the code has', () => {
    const detail = (schema.definitions.UnicornAlert.properties);
    expect(detail.kind.enum).toEqual([...ALERT_KINDS]);
    expect(detail.severity.enum).toEqual([...ALERT_SEVERITIES]);
    expect(detail.schemaVersion.enum).toEqual([UNICORN_ALERT.schemaVersion]);
  });

  it('has ids that depend only on what happened', () => {
    const facts = { name: 'Bucephalus', kind: 'VitalLow', vital: 'HealthPoints', value: 99, threshold: 100, readingTime: T, latitude: 40, longitude: -73 } as const;
    expect(createAlert(facts).alertId).toBe(createAlert({ ...facts, value: 98, latitude: 41 }).alertId);
    expect(createAlert(facts).alertId).toBe(vitalLow.detail.alertId);
    const variants = [alertId('Bucephalus', 'VitalLow', 'HealthPoints', T), alertId('Bucephalus', 'VitalLow', 'MagicPoints', T),
      alertId('Bucephalus', 'VitalCritical', 'HealthPoints', T), alertId('Bucephalus', 'VitalLow', 'HealthPoints', T + 1), alertId('Shadowfax', 'VitalLow', 'HealthPoints', T)];
    expect(new Set(variants).size).toBe(variants.length);
    expect(variants.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('spreads stable ids without collisions over many inputs', () => {
    const ids = new Set(Array.from({ length: 50_000 }, (_, i) => stableId(`Unicorn-${i}\u0000VitalLow\u0000HealthPoints\u0000${T + i}`)));
    expect(ids.size).toBe(50_000);
  });

  it.each([
    [null, /object/], [{ ...vitalLow.detail, schemaVersion: '2' }, /schemaVersion/], [{ ...vitalLow.detail, kind: 'Sneezed' }, /kind/],
    [{ ...vitalLow.detail, severity: 'meh' }, /severity/], [{ ...vitalLow.detail, vital: 'Sparkle' }, /vital/],
    [{ ...vitalLow.detail, value: 'high' }, /value/], [{ ...vitalLow.detail, latitude: null }, /latitude/], [{ ...vitalLow.detail, name: '' }, /name/],
  ])('refuses a malformed detail %#', (detail, message) => {
    expect(() => parseUnicornAlert(detail)).toThrow(InvalidAlertError);
    expect(() => parseUnicornAlert(detail)).toThrow(message);
  });
});
