import { formatStatusTime, parseStatusTime } from '../time/status-time';
import { InvalidQueryParameterError } from './invalid-query-parameter.error';

/**
 * The workshop's Athena queries (module 5 and its extra credit), each one SQL text that runs unchanged on Athena
 * (Trino) and DuckDB. They stay inside the common subset: SUM, comparisons, `TIMESTAMP '...'` literals, ORDER BY;
 * no date_parse/strptime, no engine-specific functions, so no query needs a second text.
 *
 * Parameters are never pasted in raw: each is checked against a strict format first (InvalidQueryParameterError),
 * and the one free-text value (a unicorn's name) is also quote-escaped.
 */

/** Inclusive range of `dt` partitions (`YYYY-MM-DD`, UTC); either end may be open. Lets both engines prune. */
export interface DtRange {
  readonly from?: string;
  readonly to?: string;
}

export interface NamedQuery<Params> {
  readonly name: string;
  readonly description: string;
  sql(params: Params): string;
}

/** Total distance per unicorn (the workshop's first Athena query, with the alias PR #106 added). */
export const totalDistanceQuery: NamedQuery<{ readonly dt?: DtRange }> = {
  name: 'total-distance',
  description: 'Total distance travelled by each unicorn',
  sql: ({ dt } = {}) =>
    lines('SELECT Name, SUM(Distance) AS TotalDistance', 'FROM wildrydes', where(...dtFilter(dt)), 'GROUP BY Name', 'ORDER BY Name'),
};

/** Every reading after a point in time (exclusive). */
export const afterQuery: NamedQuery<{ readonly after: string | Date; readonly dt?: DtRange }> = {
  name: 'after',
  description: 'All readings after a given UTC timestamp',
  sql: ({ after, dt }) =>
    lines('SELECT *', 'FROM wildrydes', where(...dtFilter(dt), `StatusTime > TIMESTAMP '${timestampLiteral(after)}'`), 'ORDER BY StatusTime, Name'),
};

/** One unicorn's trip: its positions in time order. */
export const tripQuery: NamedQuery<{ readonly name: string; readonly dt?: DtRange }> = {
  name: 'trip',
  description: "Latitude/longitude pairs of one unicorn's trip, in time order",
  sql: ({ name, dt }) =>
    lines('SELECT Latitude, Longitude, StatusTime', 'FROM wildrydes', where(...dtFilter(dt), `Name = ${nameLiteral(name)}`), 'ORDER BY StatusTime'),
};

/** Readings where any vital is below 100. */
export const lowVitalsQuery: NamedQuery<{ readonly dt?: DtRange }> = {
  name: 'low-vitals',
  description: 'Readings where health or magic points are below 100',
  sql: ({ dt } = {}) =>
    lines('SELECT *', 'FROM wildrydes', where(...dtFilter(dt), '(HealthPoints < 100 OR MagicPoints < 100)'), 'ORDER BY StatusTime, Name'),
};

/**
 * One unicorn's raw readings in [from, to) (epoch ms), oldest first, at most `limit` rows: the cold tier as the
 * dashboard reads it. The dt filter covers the range's UTC days, so both engines prune to them.
 */
export const unicornReadingsQuery: NamedQuery<{ readonly name: string; readonly from: number; readonly to: number; readonly limit: number }> = {
  name: 'unicorn-readings',
  description: "One unicorn's raw readings in a time range",
  sql: ({ name, from, to, limit }) => {
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidQueryParameterError('limit', limit, 'a whole number of rows, at least 1');
    if (!(to > from)) throw new InvalidQueryParameterError('to', to, 'a time after from');
    return lines(
      'SELECT StatusTime, Latitude, Longitude, Distance, MagicPoints, HealthPoints',
      'FROM wildrydes',
      where(
        ...dtFilter({ from: formatStatusTime(from).slice(0, 10), to: formatStatusTime(to - 1).slice(0, 10) }),
        `Name = ${nameLiteral(name)}`,
        `StatusTime >= TIMESTAMP '${timestampLiteral(new Date(from))}'`,
        `StatusTime < TIMESTAMP '${timestampLiteral(new Date(to))}'`,
      ),
      'ORDER BY StatusTime',
      `LIMIT ${limit}`,
    );
  },
};

export const WORKSHOP_QUERIES = {
  'total-distance': totalDistanceQuery,
  after: afterQuery,
  trip: tripQuery,
  'low-vitals': lowVitalsQuery,
} as const;

export type WorkshopQueryName = keyof typeof WORKSHOP_QUERIES;

const lines = (...parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined).join('\n');

// The dt filter comes first and joined by AND, so Athena (and the local bytesScanned estimate) can prune partitions.
const where = (...conditions: string[]): string | undefined =>
  conditions.length === 0 ? undefined : `WHERE ${conditions.join('\n  AND ')}`;

function dtFilter(range: DtRange | undefined): string[] {
  if (!range) return [];
  const from = range.from === undefined ? undefined : dateLiteral('dt.from', range.from);
  const to = range.to === undefined ? undefined : dateLiteral('dt.to', range.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidQueryParameterError('dt', range, 'from on or before to');
  }
  return [...(from === undefined ? [] : [`dt >= '${from}'`]), ...(to === undefined ? [] : [`dt <= '${to}'`])];
}

function dateLiteral(parameter: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(parseStatusTime(`${value} 00:00:00`))) {
    throw new InvalidQueryParameterError(parameter, value, 'a date YYYY-MM-DD');
  }
  return value;
}

/**
 * `YYYY-MM-DD HH:MM:SS[.mmm]` (the archive's own form, UTC), ISO-8601 with a zone, or a Date. The literal is
 * re-formatted from the parsed instant, so nothing of the caller's text reaches the SQL.
 */
function timestampLiteral(value: string | Date): string {
  const epochMs = value instanceof Date ? value.getTime() : parseStatusTime(value);
  if (Number.isNaN(epochMs)) {
    throw new InvalidQueryParameterError('after', String(value), "'YYYY-MM-DD HH:MM:SS[.mmm]' (UTC), ISO-8601 with a zone, or a valid Date");
  }
  return formatStatusTime(epochMs);
}

function nameLiteral(name: string): string {
  if (!/^[\p{L}\p{N}][\p{L}\p{N} _.'-]{0,63}$/u.test(name)) {
    throw new InvalidQueryParameterError('name', name, 'letters, digits, space, _ . \' - (at most 64)');
  }
  return `'${name.replaceAll("'", "''")}'`;
}
