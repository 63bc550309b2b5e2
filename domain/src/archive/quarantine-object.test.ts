import { describe, expect, it } from 'vitest';
import type { QuarantinedRecord } from '../ports/quarantine.port';
import { quarantineObject, quarantineObjects } from './quarantine-object';

const RECEIVED = Date.UTC(2026, 11, 2, 9, 15, 30, 250);
const record = (sourcePosition: string, raws: readonly string[]): QuarantinedRecord => ({
  sourcePosition,
  receivedAt: RECEIVED,
  rejections: raws.map((raw, i) => ({ code: 'INVALID_JSON', reason: 'not JSON', line: i + 1, raw })),
});

describe('quarantine objects', () => {
  it('keeps one line per rejection under rejected/ by the hour received, keyed by the source position', () => {
    // Act
    const { key, lines } = quarantineObject(record('shardId-000:49', ['{', '}']));

    // Assess
    expect(key).toMatch(/^rejected\/dt=2026-12-02\/hour=09\/.+/);
    expect(lines).toEqual([
      { sourcePosition: 'shardId-000:49', receivedAt: '2026-12-02T09:15:30.250Z', line: 1, code: 'INVALID_JSON', reason: 'not JSON', raw: '{' },
      { sourcePosition: 'shardId-000:49', receivedAt: '2026-12-02T09:15:30.250Z', line: 2, code: 'INVALID_JSON', reason: 'not JSON', raw: '}' },
    ]);
  });

  it('is a pure function of the record, so keeping it again rewrites the same object', () => {
    expect(quarantineObject(record('p', ['x']))).toEqual(quarantineObject(record('p', ['x'])));
  });

  it('makes one object per key: a record without rejections has none, a redelivered one replaces its first delivery', () => {
    // Act
    const objects = quarantineObjects([record('a', ['1']), record('b', []), record('a', ['2'])]);

    // Assess
    expect([...objects.values()].map((lines) => lines.map((l) => l.raw))).toEqual([['2']]);
  });
});
