/**
 * The workshop's timestamp format, `YYYY-MM-DD HH:MM:SS.mmm`, has no zone. The product reads it as UTC
 * (the workshop's Lambdas ran in UTC; local-time parsing was one of its defects).
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** The minute `formatStatusTime` formatted last: a cache, so the output still depends on the argument alone. */
const lastMinute = { start: Number.NaN, prefix: '' };

/** Formats epoch milliseconds as `YYYY-MM-DD HH:MM:SS.mmm` in UTC. */
export function formatStatusTime(time: number): string {
  const epochMs = Math.trunc(time); // as Date reads it
  const minute = floorToMinute(epochMs);
  // The archive formats every reading's time and a batch's readings share a few minutes, so the date and the clock
  // up to the minute are built once per minute (a Date and its pads: about 1 µs a call, against 0.15 µs cached).
  if (minute !== lastMinute.start) {
    const d = new Date(minute);
    lastMinute.start = minute;
    lastMinute.prefix = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:`;
  }
  const withinMinute = epochMs - minute;
  const seconds = Math.floor(withinMinute / 1000);
  return `${lastMinute.prefix}${pad2(seconds)}.${pad3(withinMinute - seconds * 1000)}`;
}

/** `YYYY-MM-DD` of the UTC day. */
export function formatUtcDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** `HH` of the UTC hour. */
export function formatUtcHour(epochMs: number): string {
  return pad2(Math.floor((((epochMs % 86_400_000) + 86_400_000) % 86_400_000) / MS_PER_HOUR));
}

export function floorToMinute(epochMs: number): number {
  return epochMs - (((epochMs % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE);
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};
const num2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);
const num4 = (s: string, i: number): number => num2(s, i) * 100 + num2(s, i + 2);

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): integer maths, no Date object on the hot path. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.fff]` as UTC, or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`. An ISO form
 * must carry its zone: a zone-less `T` form is ambiguous, so it is refused. Fractions beyond milliseconds are
 * truncated. Returns NaN when the text is not such a timestamp or names an impossible date.
 */
export function parseStatusTime(text: string): number {
  const n = text.length;
  if (n < 19 || n > 35) return NaN;
  const sep = text.charCodeAt(10);
  const iso = sep === 84 /* T */;
  if (!iso && sep !== 32 /* space */) return NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return NaN;
  const year = num4(text, 0), month = num2(text, 5), day = num2(text, 8);
  const hour = num2(text, 11), minute = num2(text, 14), second = num2(text, 17);
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  let i = 19;
  let millis = 0;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    i++;
    const start = i;
    while (i < n && digit(text, i) >= 0) {
      if (i - start < 3) millis = millis * 10 + digit(text, i);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 9) return NaN;
    for (let k = digits; k < 3; k++) millis *= 10;
  }
  let offsetMinutes = 0;
  if (iso) {
    if (i >= n) return NaN;
    const z = text.charCodeAt(i);
    if (z === 90 /* Z */ && i + 1 === n) {
      offsetMinutes = 0;
    } else if ((z === 43 || z === 45) && i + 6 === n && text.charCodeAt(i + 3) === 58) {
      const oh = num2(text, i + 1), om = num2(text, i + 4);
      if (!(oh <= 23 && om <= 59)) return NaN;
      offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return NaN;
    }
  } else if (i !== n) {
    return NaN;
  }
  return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}
