// Writes the bad-input corpus (records.json, bodies.json, files/). Run once by hand when the corpus changes:
//   node test/bad-input/corpus/make-corpus.mjs
// The files it writes are checked in; the suite reads them, never this script.
import { writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const T = '2026-01-01 00:00:00.000';
const valid = { Name: 'Corpus', StatusTime: T, Latitude: 40.7484, Longitude: -73.9857, Distance: 12.5, MagicPoints: 150, HealthPoints: 150 };
const reading = (patch = {}, drop = []) => {
  const r = { ...valid, ...patch };
  for (const k of drop) delete r[k];
  return JSON.stringify(r);
};
const text = (kind, raw, code) => ({ kind, raw, code });
const bytes = (kind, data, code, doors) => ({ kind, rawBase64: Buffer.from(data).toString('base64'), code, ...(doors ? { doors } : {}) });

const records = [
  text('not JSON at all', 'not json', 'INVALID_JSON'),
  text('truncated JSON', '{"Name":"Shadowfax","StatusTime":"2026-', 'INVALID_JSON'),
  text('a trailing comma', reading().slice(0, -1) + ',}', 'INVALID_JSON'),
  text('single-quoted keys', "{'Name':'Shadowfax'}", 'INVALID_JSON'),
  text('a NaN literal', reading().replace('"Latitude":40.7484', '"Latitude":NaN'), 'INVALID_JSON'),
  text('a hexadecimal number', reading().replace('"Longitude":-73.9857', '"Longitude":-0x1'), 'INVALID_JSON'),
  text('two objects on one line', reading() + ' ' + reading(), 'INVALID_JSON'),
  text('two objects joined by a bare CR', reading() + '\r' + reading(), 'INVALID_JSON'),
  text('a NUL between tokens', reading().slice(0, -1) + '\u0000}', 'INVALID_JSON'),
  text('two byte-order marks before a reading', '\ufeff\ufeff' + reading(), 'INVALID_JSON'),
  text('JSON with a comment', '// a reading\u2028' + reading(), 'INVALID_JSON'),
  text('an unterminated string', '{"Name":"Shadowfax', 'INVALID_JSON'),
  text('a JSON array', '[1,2,3]', 'NOT_AN_OBJECT'),
  text('an array of readings', `[${reading()}]`, 'NOT_AN_OBJECT'),
  text('null', 'null', 'NOT_AN_OBJECT'),
  text('a bare number', '42', 'NOT_AN_OBJECT'),
  text('a bare string', '"Shadowfax"', 'NOT_AN_OBJECT'),
  text('true', 'true', 'NOT_AN_OBJECT'),
  text('an array nested a thousand deep', '['.repeat(1000) + ']'.repeat(1000), 'NOT_AN_OBJECT'),
  text('an empty object', '{}', 'MISSING_FIELD'),
  text('no Name', reading({}, ['Name']), 'MISSING_FIELD'),
  text('no StatusTime', reading({}, ['StatusTime']), 'MISSING_FIELD'),
  text('no Latitude', reading({}, ['Latitude']), 'MISSING_FIELD'),
  text('no Longitude', reading({}, ['Longitude']), 'MISSING_FIELD'),
  text('no Distance', reading({}, ['Distance']), 'MISSING_FIELD'),
  text('no MagicPoints', reading({}, ['MagicPoints']), 'MISSING_FIELD'),
  text('no HealthPoints', reading({}, ['HealthPoints']), 'MISSING_FIELD'),
  text('lower-case field names', reading().replace(/"([A-Z])/g, (_, c) => `"${c.toLowerCase()}`), 'MISSING_FIELD'),
  text('a reading wrapped in another object', JSON.stringify({ reading: valid }), 'MISSING_FIELD'),
  text('Name as a number', reading({ Name: 7 }), 'WRONG_TYPE'),
  text('Name null', reading({ Name: null }), 'WRONG_TYPE'),
  text('StatusTime as epoch milliseconds', reading({ StatusTime: 1767225600000 }), 'WRONG_TYPE'),
  text('StatusTime null', reading({ StatusTime: null }), 'WRONG_TYPE'),
  text('Latitude as a string', reading({ Latitude: '40.7484' }), 'WRONG_TYPE'),
  text('Distance as a boolean', reading({ Distance: true }), 'WRONG_TYPE'),
  text('Distance as a string', reading({ Distance: '12.5' }), 'WRONG_TYPE'),
  text('MagicPoints as an array', reading({ MagicPoints: [150] }), 'WRONG_TYPE'),
  text('MagicPoints null', reading({ MagicPoints: null }), 'WRONG_TYPE'),
  text('HealthPoints as an object', reading({ HealthPoints: { value: 150 } }), 'WRONG_TYPE'),
  text('Latitude 1e999 (Infinity)', reading().replace('"Latitude":40.7484', '"Latitude":1e999'), 'NOT_FINITE'),
  text('Longitude -1e999 (-Infinity)', reading().replace('"Longitude":-73.9857', '"Longitude":-1e999'), 'NOT_FINITE'),
  text('Latitude just past 90', reading({ Latitude: 90.0001 }), 'LATITUDE_OUT_OF_RANGE'),
  text('Latitude -91', reading({ Latitude: -91 }), 'LATITUDE_OUT_OF_RANGE'),
  text('a duplicate key whose last value is out of range', reading().slice(0, -1) + ',"Latitude":99}', 'LATITUDE_OUT_OF_RANGE'),
  text('Longitude 180.5', reading({ Longitude: 180.5 }), 'LONGITUDE_OUT_OF_RANGE'),
  text('a negative Distance', reading({ Distance: -1 }), 'NEGATIVE_DISTANCE'),
  text('a Distance past Mach 3', reading({ Distance: 1000.01 }), 'IMPOSSIBLE_DISTANCE'),
  text('fractional MagicPoints', reading({ MagicPoints: 1.5 }), 'NON_INTEGER_POINTS'),
  text('HealthPoints of two million', reading({ HealthPoints: 2_000_000 }), 'POINTS_OUT_OF_RANGE'),
  text('MagicPoints far below zero', reading({ MagicPoints: -2_000_000 }), 'POINTS_OUT_OF_RANGE'),
  text('an empty Name', reading({ Name: '' }), 'EMPTY_NAME'),
  text('a blank Name', reading({ Name: '   ' }), 'EMPTY_NAME'),
  text('a Name of 65 characters', reading({ Name: 'N'.repeat(65) }), 'NAME_TOO_LONG'),
  text('a bell in the Name', reading({ Name: 'Shadow\u0007fax' }), 'NAME_CONTROL_CHARACTERS'),
  text('a C1 control in the Name', reading({ Name: 'Shadow\u0085fax' }), 'NAME_CONTROL_CHARACTERS'),
  text('an unpaired surrogate in the Name', reading().replace('"Name":"Corpus"', '"Name":"Corpus\\ud800"'), 'NAME_CONTROL_CHARACTERS'),
  text('StatusTime in words', reading({ StatusTime: 'yesterday' }), 'INVALID_TIMESTAMP'),
  text('February 30th', reading({ StatusTime: '2026-02-30 00:00:00.000' }), 'INVALID_TIMESTAMP'),
  text('an impossible zone offset', reading({ StatusTime: '2026-01-01T00:00:00+25:00' }), 'INVALID_TIMESTAMP'),
  text('hour 24', reading({ StatusTime: '2026-01-01 24:00:00.000' }), 'INVALID_TIMESTAMP'),
  text('a reading from the year 2999', reading({ StatusTime: '2999-01-01 00:00:00.000' }), 'TIMESTAMP_IN_FUTURE'),
  text('a reading from 1999', reading({ StatusTime: '1999-12-31 23:59:59.999' }), 'TIMESTAMP_TOO_OLD'),
  text('a line of 17,000 characters', reading({ Padding: 'x'.repeat(17_000) }), 'LINE_TOO_LARGE'),
  bytes('bytes that are not UTF-8 (0xFF 0xFE)', [...Buffer.from('{"Name":"Sh'), 0xff, 0xfe, ...Buffer.from('"}')], 'INVALID_UTF8', ['kinesis', 'upload']),
  bytes('a lone continuation byte', [...Buffer.from(reading()).subarray(0, 10), 0x80, ...Buffer.from(reading()).subarray(10)], 'INVALID_UTF8', ['kinesis', 'upload']),
  bytes('an overlong encoding of "/"', [...Buffer.from('{"Name":"a'), 0xc0, 0xaf, ...Buffer.from('b"}')], 'INVALID_UTF8', ['kinesis', 'upload']),
  bytes('UTF-16LE text', Buffer.from(reading(), 'utf16le'), 'INVALID_JSON'),
  bytes('Latin-1 text (é as 0xE9)', Buffer.from(reading({ Name: 'Épona' }), 'latin1'), 'INVALID_UTF8', ['kinesis', 'upload']),
  bytes('only white space (a record)', Buffer.from('  \t  '), 'EMPTY_RECORD', ['kinesis']),
];

const bodies = [
  { kind: 'a body that is not UTF-8', contentType: 'application/x-ndjson', bodyBase64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), status: 400, code: 'INVALID_UTF8' },
  { kind: 'text/plain', contentType: 'text/plain', body: reading(), status: 400, code: 'UNSUPPORTED_CONTENT_TYPE' },
  { kind: 'a form', contentType: 'application/x-www-form-urlencoded', body: 'Name=Shadowfax', status: 400, code: 'UNSUPPORTED_CONTENT_TYPE' },
  { kind: 'no content type', body: reading(), status: 400, code: 'UNSUPPORTED_CONTENT_TYPE' },
  { kind: 'a Latin-1 charset', contentType: 'application/json; charset=ISO-8859-1', body: reading(), status: 400, code: 'UNSUPPORTED_CONTENT_TYPE' },
  { kind: 'a gzip-encoded body', contentType: 'application/x-ndjson', contentEncoding: 'gzip', bodyBase64: gzipSync(reading()).toString('base64'), status: 400, code: 'UNSUPPORTED_CONTENT_ENCODING' },
  { kind: 'a body of 1.5 MiB', contentType: 'application/x-ndjson', repeat: { line: reading(), bytes: 1_572_864 }, status: 413, code: 'BODY_TOO_LARGE' },
  { kind: 'a POST to another path', path: '/anything', contentType: 'application/x-ndjson', body: reading(), status: 404 },
  { kind: 'a GET', method: 'GET', status: 405 },
  { kind: 'an empty body', contentType: 'application/x-ndjson', body: '', status: 400 },
];

const good = gzipSync(Array.from({ length: 200 }, (_, i) => reading({ Name: 'Filed', StatusTime: `2026-01-01 00:0${Math.floor(i / 60)}:${String(i % 60).padStart(2, '0')}.000` })).join('\n') + '\n');
const badCrc = Buffer.from(good);
badCrc[badCrc.length - 6] ^= 0xff;
const files = [
  { kind: 'a 0-byte .gz', file: 'empty.ndjson.gz', data: Buffer.alloc(0), code: 'INVALID_GZIP' },
  { kind: 'plain text named .gz', file: 'plain.ndjson.gz', data: Buffer.from(reading() + '\n'), code: 'INVALID_GZIP' },
  { kind: 'a truncated .gz (80%)', file: 'truncated.ndjson.gz', data: good.subarray(0, Math.floor(good.length * 0.8)), code: 'INVALID_GZIP' },
  { kind: 'a .gz with a broken checksum', file: 'bad-crc.ndjson.gz', data: badCrc, code: 'INVALID_GZIP' },
  { kind: 'random bytes named .gz', file: 'random.ndjson.gz', data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 251)), code: 'INVALID_GZIP' },
  { kind: 'a zip archive named .gz', file: 'zip.ndjson.gz', data: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60, 1)]), code: 'INVALID_GZIP' },
];

mkdirSync(join(here, 'files'), { recursive: true });
writeFileSync(join(here, 'records.json'), JSON.stringify(records, null, 1) + '\n');
writeFileSync(join(here, 'bodies.json'), JSON.stringify(bodies, null, 1) + '\n');
writeFileSync(join(here, 'files.json'), JSON.stringify(files.map(({ data: _, ...f }) => f), null, 1) + '\n');
for (const f of files) writeFileSync(join(here, 'files', f.file), f.data);
console.log(`${records.length} records, ${bodies.length} bodies, ${files.length} files`);
