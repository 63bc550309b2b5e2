import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EmptySourcePositionError, alertObjectKey, archiveObjectKey, encodeKeySegment, partitionOf, partitionPrefix } from './archive-layout';

const T = Date.UTC(2026, 10, 22, 7, 59, 59, 999);

describe('archive layout', () => {
  it('partitions by the UTC date and hour of event time', () => {
    expect(partitionOf(T)).toEqual({ dt: '2026-11-22', hour: '07' });
    expect(partitionOf(T + 1)).toEqual({ dt: '2026-11-22', hour: '08' });
    expect(partitionOf(Date.UTC(2026, 11, 31, 23, 30))).toEqual({ dt: '2026-12-31', hour: '23' });
  });

  it('builds keys from the area, the partition and the source position', () => {
    const position = 'shardId-000000000001:49590338271490256608559692538361571095921575989136588898';
    expect(archiveObjectKey('raw', T, position)).toBe('raw/dt=2026-11-22/hour=07/shardId-000000000001~3A49590338271490256608559692538361571095921575989136588898.json.gz');
    expect(archiveObjectKey('rejected', T, 'upload/file.ndjson#12')).toBe('rejected/dt=2026-11-22/hour=07/upload~2Ffile.ndjson~2312.json.gz');
    expect(archiveObjectKey('raw', T, position)).toBe(archiveObjectKey('raw', T, position));
    expect(archiveObjectKey('raw', T, position).startsWith(partitionPrefix('raw', T))).toBe(true);
    expect(alertObjectKey(T, 'f4783c6f93b87feb0b106cba44d8e84a')).toBe('alerts/dt=2026-11-22/f4783c6f93b87feb0b106cba44d8e84a.json.gz');
  });

  it('refuses an empty position', () => {
    expect(() => archiveObjectKey('raw', T, '')).toThrow(EmptySourcePositionError);
    expect(() => alertObjectKey(T, '')).toThrow(EmptySourcePositionError);
  });

  it('never maps two positions to one key segment, and keeps segments safe', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), (a, b) => {
      fc.pre(a !== b);
      expect(encodeKeySegment(a)).not.toBe(encodeKeySegment(b));
      expect(encodeKeySegment(a)).toMatch(/^[A-Za-z0-9._~-]*$/);
    }));
    expect(encodeKeySegment('a~b')).not.toBe(encodeKeySegment('a_b'));
  });
});
