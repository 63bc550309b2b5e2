import { parseStatusTime } from '../time/status-time';
import type { Reading } from './reading';
import { DEFAULT_READING_LIMITS, type ReadingLimits } from './reading-limits';
import type { Rejection, RejectionCode } from './rejection';

export interface DecodedRecord {
  readonly readings: Reading[];
  readonly rejections: Rejection[];
}

export interface DecodeOptions {
  /** The current time (epoch ms), to refuse readings from the future. */
  readonly now: number;
  readonly limits?: ReadingLimits;
}

// Fatal: a record that is not UTF-8 is rejected rather than silently mangled (the workshop decoded ASCII).
// ignoreBOM keeps a byte-order mark in the text, so the one rule below (withoutByteOrderMark) decides for every door.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8');

// C0 and C1 controls, and unpaired surrogates (they cannot be stored as UTF-8 by DynamoDB or S3).
const INVALID_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const reject = (code: RejectionCode, reason: string, line: number, raw: string): Rejection => ({ code, reason, line, raw });

/**
 * Decodes one Kinesis record (or any byte chunk) as UTF-8 into readings: one JSON reading, or several
 * newline-delimited ones. Blank lines and a trailing newline (the workshop's v2 producer) are ignored.
 * Results are appended to `into` when given, so a batch decodes without an allocation per record.
 */
export function decodeRecord(data: Uint8Array, options: DecodeOptions, into: DecodedRecord = { readings: [], rejections: [] }): DecodedRecord {
  const limits = options.limits ?? DEFAULT_READING_LIMITS;
  if (data.byteLength > limits.maxRecordBytes) {
    into.rejections.push(reject('RECORD_TOO_LARGE', `record is ${data.byteLength} bytes; the limit is ${limits.maxRecordBytes}`, 0, lossyUtf8.decode(data)));
    return into;
  }
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    into.rejections.push(reject('INVALID_UTF8', 'record is not valid UTF-8', 0, lossyUtf8.decode(data)));
    return into;
  }
  return decodeText(text, options, into);
}

/**
 * The one byte-order-mark rule for every door (Kinesis records, HTTP bodies, uploaded files): a single UTF-8 BOM
 * at the very start of a record, body or file is dropped (Windows tools write one; it is not data); a BOM
 * anywhere else is part of its line, which is then not JSON and is refused as INVALID_JSON.
 */
export const withoutByteOrderMark = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Decodes text holding one or more newline-delimited readings (a leading BOM dropped, see withoutByteOrderMark). */
export function decodeText(record: string, options: DecodeOptions, into: DecodedRecord = { readings: [], rejections: [] }): DecodedRecord {
  const { readings, rejections } = into;
  const text = withoutByteOrderMark(record);
  let start = 0;
  let lineNumber = 0;
  let sawContent = false;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (!isBlank(text, start, end)) {
      sawContent = true;
      const lineEnd = text.charCodeAt(end - 1) === 13 /* \r */ ? end - 1 : end;
      // A record holding one reading and a trailing newline (the workshop's v2) is parsed whole: JSON allows
      // the trailing white space, and parsing a slice costs a copy. The trimmed line is made only for a rejection.
      const whole = start === 0 && isBlank(text, lineEnd, text.length);
      const result = decodeLine(whole ? text : text.slice(start, lineEnd), lineNumber, options);
      if (!('code' in result)) readings.push(result);
      else rejections.push(whole && lineEnd !== text.length ? { ...result, raw: text.slice(0, lineEnd) } : result);
      if (whole) break;
    }
    start = end + 1;
  }
  if (!sawContent) rejections.push(reject('EMPTY_RECORD', 'record holds no reading', 0, text));
  return into;
}

/** Decodes one line of text holding one JSON reading. */
export function decodeLine(line: string, lineNumber: number, options: DecodeOptions): Reading | Rejection {
  const limits = options.limits ?? DEFAULT_READING_LIMITS;
  if (line.length > limits.maxLineLength) {
    return reject('LINE_TOO_LARGE', `line is ${line.length} characters; the limit is ${limits.maxLineLength}`, lineNumber, line);
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return reject('INVALID_JSON', `not JSON: ${(error as Error).message}`, lineNumber, line);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('NOT_AN_OBJECT', 'a reading must be a JSON object', lineNumber, line);
  }
  return validateReading(value as Record<string, unknown>, lineNumber, line, options.now, limits);
}

function validateReading(o: Record<string, unknown>, line: number, raw: string, now: number, limits: ReadingLimits): Reading | Rejection {
  const name = o['Name'];
  const statusTime = o['StatusTime'];
  const latitude = o['Latitude'];
  const longitude = o['Longitude'];
  const distance = o['Distance'];
  const magicPoints = o['MagicPoints'];
  const healthPoints = o['HealthPoints'];

  if (name === undefined) return missing('Name', line, raw);
  if (typeof name !== 'string') return wrongType('Name', 'a string', name, line, raw);
  if (name.length === 0 || isBlank(name, 0, name.length)) return reject('EMPTY_NAME', 'Name is empty', line, raw);
  if (name.length > limits.maxNameLength) return reject('NAME_TOO_LONG', `Name is ${name.length} characters; the limit is ${limits.maxNameLength}`, line, raw);
  if (!hasOnlyPrintableAscii(name) && INVALID_NAME_CHARACTERS.test(name)) return reject('NAME_CONTROL_CHARACTERS', 'Name contains control characters or unpaired surrogates', line, raw);

  if (statusTime === undefined) return missing('StatusTime', line, raw);
  if (typeof statusTime !== 'string') return wrongType('StatusTime', 'a string', statusTime, line, raw);
  const time = parseStatusTime(statusTime);
  if (Number.isNaN(time)) {
    return reject('INVALID_TIMESTAMP', `StatusTime "${statusTime.slice(0, 40)}" is not "YYYY-MM-DD HH:MM:SS.mmm" (UTC) nor ISO 8601 with a zone`, line, raw);
  }
  if (time > now + limits.maxFutureSkewMs) {
    return reject('TIMESTAMP_IN_FUTURE', `StatusTime is ${Math.round((time - now) / 1000)} s ahead of now; at most ${limits.maxFutureSkewMs / 1000} s is accepted`, line, raw);
  }
  if (time < limits.minTime) return reject('TIMESTAMP_TOO_OLD', `StatusTime is before ${new Date(limits.minTime).toISOString()}`, line, raw);

  // The common case is one condition; the detailed checks below only run to say what is wrong.
  if (
    typeof latitude === 'number' && typeof longitude === 'number' && typeof distance === 'number'
    && typeof magicPoints === 'number' && typeof healthPoints === 'number'
    && latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180
    && distance >= 0 && distance <= limits.maxDistancePerReading
    && Number.isInteger(magicPoints) && Number.isInteger(healthPoints)
    && magicPoints <= limits.maxAbsPoints && magicPoints >= -limits.maxAbsPoints
    && healthPoints <= limits.maxAbsPoints && healthPoints >= -limits.maxAbsPoints
  ) {
    return { name, time, latitude, longitude, distance, magicPoints, healthPoints };
  }
  return diagnoseNumbers(name, time, latitude, longitude, distance, magicPoints, healthPoints, line, raw, limits);
}

function diagnoseNumbers(
  name: string, time: number, latitude: unknown, longitude: unknown, distance: unknown, magicPoints: unknown, healthPoints: unknown,
  line: number, raw: string, limits: ReadingLimits,
): Reading | Rejection {
  // Checked field by field rather than in a loop over tuples: this runs once per reading on the hot path.
  const numberProblem = checkNumber('Latitude', latitude, line, raw) ?? checkNumber('Longitude', longitude, line, raw)
    ?? checkNumber('Distance', distance, line, raw) ?? checkNumber('MagicPoints', magicPoints, line, raw) ?? checkNumber('HealthPoints', healthPoints, line, raw);
  if (numberProblem !== undefined) return numberProblem;
  const lat = latitude as number, lon = longitude as number, dist = distance as number;
  const magic = magicPoints as number, health = healthPoints as number;
  if (lat < -90 || lat > 90) return reject('LATITUDE_OUT_OF_RANGE', `Latitude ${lat} is outside [-90, 90]`, line, raw);
  if (lon < -180 || lon > 180) return reject('LONGITUDE_OUT_OF_RANGE', `Longitude ${lon} is outside [-180, 180]`, line, raw);
  if (dist < 0) return reject('NEGATIVE_DISTANCE', `Distance ${dist} is negative`, line, raw);
  if (dist > limits.maxDistancePerReading) {
    return reject('IMPOSSIBLE_DISTANCE', `Distance ${dist} m in one second exceeds ${limits.maxDistancePerReading} m`, line, raw);
  }
  const pointsProblem = checkPoints('MagicPoints', magic, line, raw, limits) ?? checkPoints('HealthPoints', health, line, raw, limits);
  if (pointsProblem !== undefined) return pointsProblem;
  return { name, time, latitude: lat, longitude: lon, distance: dist, magicPoints: magic, healthPoints: health };
}

function checkNumber(field: string, v: unknown, line: number, raw: string): Rejection | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : reject('NOT_FINITE', `${field} is not a finite number`, line, raw);
  return v === undefined ? missing(field, line, raw) : wrongType(field, 'a number', v, line, raw);
}

function checkPoints(field: string, v: number, line: number, raw: string, limits: ReadingLimits): Rejection | undefined {
  if (!Number.isInteger(v)) return reject('NON_INTEGER_POINTS', `${field} ${v} is not an integer`, line, raw);
  if (Math.abs(v) > limits.maxAbsPoints) return reject('POINTS_OUT_OF_RANGE', `${field} ${v} is beyond ±${limits.maxAbsPoints}`, line, raw);
  return undefined;
}

/** Whether a name needs the full character check (anything outside printable ASCII does). */
function hasOnlyPrintableAscii(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const isBlank = (text: string, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
  return true;
};

const missing = (field: string, line: number, raw: string): Rejection => reject('MISSING_FIELD', `${field} is missing`, line, raw);

function wrongType(field: string, expected: string, actual: unknown, line: number, raw: string): Rejection {
  const got = actual === null ? 'null' : Array.isArray(actual) ? 'an array' : typeof actual;
  return reject('WRONG_TYPE', `${field} must be ${expected}, got ${got}`, line, raw);
}
