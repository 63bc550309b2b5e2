import { DEFAULT_READING_LIMITS, parseStatusTime, type Rejection } from '@wildrydes/domain';
import type { ImportedMinuteSummary } from '@wildrydes/domain';

/**
 * Why a line is not a minute summary. `NOT_A_SUMMARY` means it does not even try to be one (it holds none of
 * the summary's own fields); every other code means it tries and is wrong.
 */
export const SUMMARY_REJECTION_CODES = [
  'NOT_A_SUMMARY',
  'SUMMARY_MISSING_FIELD',
  'SUMMARY_WRONG_TYPE',
  'SUMMARY_EMPTY_NAME',
  'SUMMARY_NAME_TOO_LONG',
  'SUMMARY_INVALID_TIMESTAMP',
  'SUMMARY_NEGATIVE_DISTANCE',
  'SUMMARY_NON_INTEGER_POINTS',
  'SUMMARY_MIN_ABOVE_MAX',
] as const;

export type SummaryRejectionCode = (typeof SUMMARY_REJECTION_CODES)[number];

/** The domain's Rejection, with this validator's codes. */
export type SummaryRejection = Omit<Rejection, 'code'> & { readonly code: SummaryRejectionCode };

/** A line in the workshop's minute-summary file shape: the imported summary without where it came from. */
export type MinuteSummaryLine = Omit<ImportedMinuteSummary, 'ImportedFrom'>;

const POINTS = ['MinMagicPoints', 'MaxMagicPoints', 'MinHealthPoints', 'MaxHealthPoints'] as const;
const FIELDS = ['Name', 'StatusTime', 'Distance', ...POINTS] as const;

/**
 * Validates one line as a minute summary: every field present, `Name` a non-empty string, `StatusTime` a valid
 * timestamp, `Distance` a finite number ≥ 0, the four points integers with min ≤ max. Extra fields are ignored.
 * Pure: no clock (a summary is a record of the past, and re-importing a file must judge it the same way).
 */
export function validateMinuteSummaryLine(line: string, lineNumber: number): MinuteSummaryLine | SummaryRejection {
  const reject = (code: SummaryRejectionCode, reason: string): SummaryRejection => ({ code, reason, line: lineNumber, raw: line });
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return reject('NOT_A_SUMMARY', 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('NOT_A_SUMMARY', 'not a JSON object');
  const o = value as Record<string, unknown>;
  if (!POINTS.some((field) => field in o)) return reject('NOT_A_SUMMARY', `has none of ${POINTS.join(', ')}`);

  for (const field of FIELDS) if (o[field] === undefined) return reject('SUMMARY_MISSING_FIELD', `${field} is missing`);
  const { Name: name, StatusTime: statusTime, Distance: distance } = o;
  if (typeof name !== 'string') return reject('SUMMARY_WRONG_TYPE', `Name must be a string, got ${typeName(name)}`);
  if (name.trim() === '') return reject('SUMMARY_EMPTY_NAME', 'Name is empty');
  if (name.length > DEFAULT_READING_LIMITS.maxNameLength) {
    return reject('SUMMARY_NAME_TOO_LONG', `Name is ${name.length} characters; the limit is ${DEFAULT_READING_LIMITS.maxNameLength}`);
  }
  if (typeof statusTime !== 'string') return reject('SUMMARY_WRONG_TYPE', `StatusTime must be a string, got ${typeName(statusTime)}`);
  if (Number.isNaN(parseStatusTime(statusTime))) {
    return reject('SUMMARY_INVALID_TIMESTAMP', `StatusTime "${statusTime.slice(0, 40)}" is not "YYYY-MM-DD HH:MM:SS.mmm" (UTC) nor ISO 8601 with a zone`);
  }
  if (typeof distance !== 'number' || !Number.isFinite(distance)) return reject('SUMMARY_WRONG_TYPE', `Distance must be a finite number, got ${typeName(distance)}`);
  if (distance < 0) return reject('SUMMARY_NEGATIVE_DISTANCE', `Distance ${distance} is negative`);
  for (const field of POINTS) {
    const points = o[field];
    if (typeof points !== 'number') return reject('SUMMARY_WRONG_TYPE', `${field} must be a number, got ${typeName(points)}`);
    if (!Number.isSafeInteger(points)) return reject('SUMMARY_NON_INTEGER_POINTS', `${field} ${points} is not an integer`);
  }
  const summary: MinuteSummaryLine = {
    Name: name,
    StatusTime: statusTime,
    Distance: distance,
    MinMagicPoints: o['MinMagicPoints'] as number,
    MaxMagicPoints: o['MaxMagicPoints'] as number,
    MinHealthPoints: o['MinHealthPoints'] as number,
    MaxHealthPoints: o['MaxHealthPoints'] as number,
  };
  if (summary.MinMagicPoints > summary.MaxMagicPoints) {
    return reject('SUMMARY_MIN_ABOVE_MAX', `MinMagicPoints ${summary.MinMagicPoints} is above MaxMagicPoints ${summary.MaxMagicPoints}`);
  }
  if (summary.MinHealthPoints > summary.MaxHealthPoints) {
    return reject('SUMMARY_MIN_ABOVE_MAX', `MinHealthPoints ${summary.MinHealthPoints} is above MaxHealthPoints ${summary.MaxHealthPoints}`);
  }
  return summary;
}

export const isSummaryRejection = (result: MinuteSummaryLine | SummaryRejection): result is SummaryRejection => 'code' in result;

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
