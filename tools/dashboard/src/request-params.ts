import { parseStatusTime } from '@wildrydes/domain';

/** A query parameter the API cannot use; answered with 400 and this message. */
export class BadRequestError extends Error {
  readonly code = 'BAD_REQUEST';
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/**
 * A time as the API takes it: epoch milliseconds (digits), ISO 8601 with a zone (`2026-11-22T10:15:00Z`), or the
 * archive's own `YYYY-MM-DD HH:MM:SS[.mmm]`, read as UTC.
 */
export function parseTime(parameter: string, text: string): number {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const time = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(text) ? parseStatusTime(text) : Number.NaN;
  if (Number.isNaN(time)) throw new BadRequestError(`${parameter} must be epoch milliseconds or an ISO 8601 time (e.g. 2026-11-22T10:15:00Z); got ${JSON.stringify(text.slice(0, 40))}`);
  return time;
}

/** `from` and `to` of a request, each defaulting (to: now, from: to − defaultSpan), `to` after `from`, at most `maxSpanMs` apart. */
export function parseTimeRange(params: URLSearchParams, now: number, spans: { defaultSpanMs: number; maxSpanMs: number }): TimeRange {
  for (const key of params.keys()) if (key !== 'from' && key !== 'to') throw new BadRequestError(`unknown parameter ${JSON.stringify(key.slice(0, 40))}; this route takes from and to`);
  for (const key of ['from', 'to']) if (params.getAll(key).length > 1) throw new BadRequestError(`${key} is given more than once`);
  const toText = params.get('to');
  const fromText = params.get('from');
  const to = toText === null ? now : parseTime('to', toText);
  const from = fromText === null ? to - spans.defaultSpanMs : parseTime('from', fromText);
  if (!(to > from)) throw new BadRequestError('to must be after from');
  if (to - from > spans.maxSpanMs) throw new BadRequestError(`the range is at most ${formatSpan(spans.maxSpanMs)}; asked for ${formatSpan(to - from)}`);
  return { from, to };
}

export function formatSpan(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
