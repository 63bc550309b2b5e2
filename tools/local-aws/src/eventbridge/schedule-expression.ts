/**
 * EventBridge rule schedule expressions: `rate(value unit)` and the six-field `cron(...)` form, in UTC.
 * Only what the local stand-in needs: when does a schedule fire next.
 */

export class InvalidScheduleExpressionError extends Error {
  readonly code = 'ValidationException';

  constructor(expression: string, reason: string) {
    super(`Parameter ScheduleExpression is not valid. Reason: ${reason} (${JSON.stringify(expression)})`);
    this.name = 'InvalidScheduleExpressionError';
  }
}

export type Schedule =
  | { readonly kind: 'rate'; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly nextAfter: (after: Date) => Date | undefined };

const RATE_UNITS_MS: Readonly<Record<string, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+) ([a-z]+?)(s?)\)$/.exec(expression);
  if (rate !== null) {
    const [, valueText, unit, plural] = rate as unknown as [string, string, string, string];
    const value = Number(valueText);
    const unitMs = RATE_UNITS_MS[unit];
    if (unitMs === undefined) throw new InvalidScheduleExpressionError(expression, 'the unit must be minute(s), hour(s) or day(s)');
    if (value < 1) throw new InvalidScheduleExpressionError(expression, 'the rate must be a positive whole number');
    // As in AWS: "rate(1 minutes)" and "rate(5 minute)" are both refused.
    if ((value === 1) !== (plural === '')) {
      throw new InvalidScheduleExpressionError(expression, 'use the singular unit for 1 and the plural otherwise');
    }
    return { kind: 'rate', intervalMs: value * unitMs };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron !== null) return { kind: 'cron', nextAfter: compileCron(expression, cron[1] as string) };
  throw new InvalidScheduleExpressionError(expression, 'expected rate(...) or cron(...)');
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** How many days ahead to look for the next firing before deciding the schedule never fires again. */
const SEARCH_DAYS = 366 * 8;

function compileCron(expression: string, body: string): (after: Date) => Date | undefined {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new InvalidScheduleExpressionError(expression, 'cron needs six fields');
  const [dayOfMonthText, dayOfWeekText] = [parts[2] as string, parts[4] as string];
  if ((dayOfMonthText === '?') === (dayOfWeekText === '?')) {
    throw new InvalidScheduleExpressionError(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  }
  const sets = FIELDS.map((spec, index) => parseCronField(expression, spec, parts[index] as string));
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = sets as [
    Set<number> | 'any', Set<number> | 'any', Set<number> | 'any', Set<number> | 'any', Set<number> | 'any', Set<number> | 'any',
  ];
  const has = (set: Set<number> | 'any', value: number): boolean => set === 'any' || set.has(value);
  return (after) => {
    const start = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
    const day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
      const date = new Date(day + offset * 86_400_000);
      if (!has(years, date.getUTCFullYear()) || !has(months, date.getUTCMonth() + 1)) continue;
      if (!has(daysOfMonth, date.getUTCDate()) || !has(daysOfWeek, date.getUTCDay() + 1)) continue;
      for (let hour = 0; hour < 24; hour += 1) {
        if (!has(hours, hour)) continue;
        for (let minute = 0; minute < 60; minute += 1) {
          if (!has(minutes, minute)) continue;
          const candidate = date.getTime() + hour * 3_600_000 + minute * 60_000;
          if (candidate >= start.getTime()) return new Date(candidate);
        }
      }
    }
    return undefined;
  };
}

function parseCronField(expression: string, spec: FieldSpec, text: string): Set<number> | 'any' {
  if (text === '*' || text === '?') return 'any';
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, (name) => (spec.names?.includes(name) ? '' : name)))) {
    throw new InvalidScheduleExpressionError(expression, `"L", "W" and "#" in ${spec.name} are not supported locally`);
  }
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|[0-9A-Z]+)(?:-([0-9A-Z]+))?(?:\/(\d+))?$/.exec(item);
    if (match === null) throw new InvalidScheduleExpressionError(expression, `cannot read ${spec.name} "${item}"`);
    const [, fromText, toText, stepText] = match;
    const from = fromText === '*' ? spec.min : cronValue(expression, spec, fromText as string);
    const to = toText !== undefined ? cronValue(expression, spec, toText) : fromText === '*' || stepText !== undefined ? spec.max : from;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1 || to < from) throw new InvalidScheduleExpressionError(expression, `bad range in ${spec.name} "${item}"`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function cronValue(expression: string, spec: FieldSpec, text: string): number {
  const named = spec.names?.indexOf(text) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    throw new InvalidScheduleExpressionError(expression, `${spec.name} value "${text}" is out of range ${spec.min}-${spec.max}`);
  }
  return value;
}
