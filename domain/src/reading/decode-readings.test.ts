import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeLine, decodeRecord, decodeText } from './decode-readings';
import { DEFAULT_READING_LIMITS } from './reading-limits';
import { REJECTION_CODES, WHOLE_BODY_REJECTION_CODES, type Rejection, type RejectionCode } from './rejection';
import { toWorkshopRecord, type Reading } from './reading';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (s: string) => decodeRecord(bytes(s), { now: NOW });

const valid = { Name: 'Shadowfax', StatusTime: '2026-11-22 11:59:00.120', Latitude: 40.75, Longitude: -73.98, Distance: 29.7, MagicPoints: 151, HealthPoints: 149 };
const line = (overrides: Record<string, unknown> = {}, drop: string[] = []): string => {
  const o: Record<string, unknown> = { ...valid, ...overrides };
  for (const k of drop) delete o[k];
  return JSON.stringify(o);
};
const expected: Reading = { name: 'Shadowfax', time: Date.UTC(2026, 10, 22, 11, 59, 0, 120), latitude: 40.75, longitude: -73.98, distance: 29.7, magicPoints: 151, healthPoints: 149 };

describe('decodeRecord accepts both generations of the workshop producer', () => {
  it('v1: Go struct key order, integer distance, no trailing newline', () => {
    const v1 = '{"Name":"Shadowfax","StatusTime":"2026-11-22 11:59:00.120","Latitude":40.75,"Longitude":-73.98,"Distance":130,"MagicPoints":151,"HealthPoints":149}';
    expect(decode(v1)).toEqual({ readings: [{ ...expected, distance: 130 }], rejections: [] });
  });

  it('v2: alphabetical keys, decimal distance, trailing newline', () => {
    const v2 = '{"Distance":29.7,"HealthPoints":149,"Latitude":40.75,"Longitude":-73.98,"MagicPoints":151,"Name":"Shadowfax","StatusTime":"2026-11-22 11:59:00.120"}\n';
    expect(decode(v2)).toEqual({ readings: [expected], rejections: [] });
  });

  it('ignores unknown extra fields such as v3 InputData', () => {
    expect(decode(line({ InputData: 'Unicorn', Colour: 'white' }))).toEqual({ readings: [expected], rejections: [] });
  });

  it('accepts ISO 8601 with a zone', () => {
    expect(decode(line({ StatusTime: '2026-11-22T12:59:00.120+01:00' })).readings).toEqual([expected]);
  });

  it('decodes UTF-8, never ASCII', () => {
    const { readings } = decode(line({ Name: 'Pégase ✨ 🦄' }));
    expect(readings[0]?.name).toBe('Pégase ✨ 🦄');
  });

  it('reads several newline-delimited readings, CRLF and blank lines included, and keeps good lines beside bad ones', () => {
    const text = `${line()}\r\n\n${line({ StatusTime: '2026-11-22 11:59:01.120' })}\nnot json\n${line({ Distance: -1 })}\n`;
    const { readings, rejections } = decode(text);
    expect(readings.map((r) => r.time)).toEqual([expected.time, expected.time + 1000]);
    expect(rejections.map((r) => [r.code, r.line, r.raw])).toEqual([['INVALID_JSON', 4, 'not json'], ['NEGATIVE_DISTANCE', 5, line({ Distance: -1 })]]);
  });

  it('round-trips any valid reading through the workshop record', () => {
    const reading = fc.record({
      name: fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/.test(s)),
      time: fc.integer({ min: Date.UTC(2000, 0, 1), max: NOW }),
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      distance: fc.double({ min: 0, max: 1000, noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
      magicPoints: fc.integer({ min: -1000, max: 1000 }),
      healthPoints: fc.integer({ min: -1000, max: 1000 }),
    });
    fc.assert(fc.property(reading, (r) => {
      const decoded = decode(JSON.stringify(toWorkshopRecord(r)) + '\n');
      expect(decoded).toEqual({ readings: [{ ...r, latitude: r.latitude + 0, longitude: r.longitude + 0 }], rejections: [] });
    }));
  });
});

describe('every rejection has a stable code and a reason', () => {
  const cases: [RejectionCode, string, string?][] = [
    ['EMPTY_RECORD', ''],
    ['EMPTY_RECORD', ' \n\r\n  '],
    ['INVALID_JSON', '{"Name":'],
    ['NOT_AN_OBJECT', '[1,2]'],
    ['NOT_AN_OBJECT', '42'],
    ['NOT_AN_OBJECT', 'null'],
    ['MISSING_FIELD', line({}, ['Name']), 'Name is missing'],
    ['MISSING_FIELD', line({}, ['StatusTime']), 'StatusTime is missing'],
    ['MISSING_FIELD', line({}, ['Latitude']), 'Latitude is missing'],
    ['MISSING_FIELD', line({}, ['Longitude']), 'Longitude is missing'],
    ['MISSING_FIELD', line({}, ['Distance']), 'Distance is missing'],
    ['MISSING_FIELD', line({}, ['MagicPoints']), 'MagicPoints is missing'],
    ['MISSING_FIELD', line({}, ['HealthPoints']), 'HealthPoints is missing'],
    ['WRONG_TYPE', line({ Name: 42 }), 'Name must be a string, got number'],
    ['WRONG_TYPE', line({ StatusTime: 1455235200000 }), 'StatusTime must be a string, got number'],
    ['WRONG_TYPE', line({ Distance: '29.5' }), 'Distance must be a number, got string'],
    ['WRONG_TYPE', line({ Latitude: null }), 'Latitude must be a number, got null'],
    ['WRONG_TYPE', line({ HealthPoints: [1] }), 'HealthPoints must be a number, got an array'],
    ['NOT_FINITE', line({}).replace('"Distance":29.7', '"Distance":1e999'), 'Distance is not a finite number'],
    ['LATITUDE_OUT_OF_RANGE', line({ Latitude: 90.0001 })],
    ['LATITUDE_OUT_OF_RANGE', line({ Latitude: -91 })],
    ['LONGITUDE_OUT_OF_RANGE', line({ Longitude: 180.5 })],
    ['NEGATIVE_DISTANCE', line({ Distance: -0.1 })],
    ['IMPOSSIBLE_DISTANCE', line({ Distance: 1000.5 })],
    ['NON_INTEGER_POINTS', line({ MagicPoints: 150.5 }), 'MagicPoints 150.5 is not an integer'],
    ['NON_INTEGER_POINTS', line({ HealthPoints: 0.1 })],
    ['POINTS_OUT_OF_RANGE', line({ HealthPoints: 1e7 })],
    ['EMPTY_NAME', line({ Name: '' })],
    ['EMPTY_NAME', line({ Name: '   ' })],
    ['NAME_TOO_LONG', line({ Name: 'x'.repeat(65) })],
    ['NAME_CONTROL_CHARACTERS', line({ Name: 'Shadow\u0007fax' })],
    ['NAME_CONTROL_CHARACTERS', line({ Name: 'Shadow\u0085fax' })],
    ['NAME_CONTROL_CHARACTERS', line({ Name: 'Shadow\ud800fax' })],
    ['INVALID_TIMESTAMP', line({ StatusTime: 'yesterday' })],
    ['INVALID_TIMESTAMP', line({ StatusTime: '2026-02-30 00:00:00.000' })],
    ['TIMESTAMP_IN_FUTURE', line({ StatusTime: '2026-11-22 12:05:00.001' })],
    ['TIMESTAMP_TOO_OLD', line({ StatusTime: '1999-12-31 23:59:59.999' })],
    ['LINE_TOO_LARGE', line({ Padding: 'x'.repeat(DEFAULT_READING_LIMITS.maxLineLength) })],
  ];

  it.each(cases)('%s for %j', (code, text, reason) => {
    const { readings, rejections } = decode(text);
    expect(readings).toEqual([]);
    expect(rejections).toHaveLength(1);
    const rejection = rejections[0] as Rejection;
    expect(rejection.code).toBe(code);
    expect(rejection.reason.length).toBeGreaterThan(5);
    if (reason !== undefined) expect(rejection.reason).toBe(reason);
    expect(rejection.raw).toBe(code === 'EMPTY_RECORD' ? text : text.trim());
  });

  it('accepts the boundaries themselves', () => {
    const edge = line({ Latitude: -90, Longitude: 180, Distance: 1000, Name: 'x'.repeat(64), StatusTime: '2026-11-22 12:05:00.000' });
    expect(decode(edge).rejections).toEqual([]);
    expect(decode(line({ Distance: 0 })).rejections).toEqual([]);
  });

  it('refuses oversize records whole, before decoding', () => {
    const big = new Uint8Array(DEFAULT_READING_LIMITS.maxRecordBytes + 1).fill(32);
    expect(decodeRecord(big, { now: NOW }).rejections.map((r) => [r.code, r.line])).toEqual([['RECORD_TOO_LARGE', 0]]);
  });

  it('refuses bytes that are not UTF-8, keeping a readable copy', () => {
    const bad = new Uint8Array([...bytes('{"Name":"Sh'), 0xff, 0xfe, ...bytes('"}')]);
    const { rejections } = decodeRecord(bad, { now: NOW });
    expect(rejections.map((r) => r.code)).toEqual(['INVALID_UTF8']);
    expect(rejections[0]?.raw).toContain('{"Name":"Sh');
  });

  it('honours custom limits', () => {
    const limits = { ...DEFAULT_READING_LIMITS, maxNameLength: 4 };
    expect(decodeText(line(), { now: NOW, limits }).rejections[0]?.code).toBe('NAME_TOO_LONG');
    expect(decodeLine(line(), 7, { now: NOW, limits })).toMatchObject({ code: 'NAME_TOO_LONG', line: 7 });
  });

  describe('one byte-order-mark rule for every door', () => {
    const bom = '\ufeff';
    it('drops one BOM at the start of a record, whether given as bytes or text', () => {
      expect(decodeRecord(bytes(bom + line()), { now: NOW }).rejections).toEqual([]);
      expect(decodeText(bom + line(), { now: NOW }).readings).toHaveLength(1);
    });
    it('refuses a BOM anywhere else as part of its line', () => {
      const { readings, rejections } = decodeText(`${line()}\n${bom}${line({ Name: 'Bucephalus' })}`, { now: NOW });
      expect(readings).toHaveLength(1);
      expect(rejections.map((r) => [r.code, r.line])).toEqual([['INVALID_JSON', 2]]);
      expect(decodeRecord(bytes(bom + bom + line()), { now: NOW }).rejections.map((r) => r.code)).toEqual(['INVALID_JSON']);
    });
    it('says the same through decodeRecord and decodeText', () => {
      const text = bom + line();
      expect(decodeRecord(bytes(text), { now: NOW })).toEqual(decodeText(text, { now: NOW }));
    });
  });

  it('covers every declared code in this table or the tests above', () => {
    const tested = new Set<string>([...cases.map(([code]) => code), 'RECORD_TOO_LARGE', 'INVALID_UTF8', ...WHOLE_BODY_REJECTION_CODES]);
    expect(REJECTION_CODES.filter((c) => !tested.has(c))).toEqual([]);
  });

  it('never throws and always accounts for every non-blank line, whatever the bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (data) => {
      const { readings, rejections } = decodeRecord(data, { now: NOW });
      let text: string;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(data); } catch { expect(rejections).toHaveLength(1); return; }
      const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
      expect(readings.length + rejections.length).toBe(Math.max(nonBlank, 1));
    }));
  });
});
