import { isUtf8 } from 'node:buffer';
import {
  decodeLine, withoutByteOrderMark, type Quarantine, type Rejection, type RejectionCode, type TelemetryRecord, type TelemetryStream,
} from '@wildrydes/domain';

/** A POST /telemetry body, already checked at the edge (size, UTF-8, content type). */
export interface TelemetryRequest {
  /** API Gateway's request id: the quarantine's source position. */
  readonly requestId: string;
  /** When the request arrived (epoch ms): readings are judged against it; it partitions the quarantine. */
  readonly receivedAt: number;
  readonly text: string;
}

/** A body refused whole at the edge (oversize, not UTF-8, wrong content type): kept in the quarantine all the same. */
export interface RefusedBody {
  readonly requestId: string;
  readonly receivedAt: number;
  readonly code: RejectionCode;
  readonly reason: string;
  /** The body's bytes as received, or their first part when the body is oversize. */
  readonly bytes: Uint8Array;
  /** The body's whole size in bytes (more than bytes.length when only a part was read). */
  readonly size: number;
}

/** A line the stream refused after its retries: the client should send it again. Not bad data, so not quarantined. */
export const STREAM_REFUSED = 'STREAM_REFUSED';

/** Line errors an answer lists; the rest are only counted (by code), so an answer stays small whatever the body. */
export const REPORTED_LINE_ERRORS = 100;
/** Records per PutRecords call while a body is read (the adapter splits further by bytes). */
const STREAM_CHUNK = 500;
/** Rejections per quarantine object: a body of half a million bad lines is kept in parts of 2,000, never held whole. */
export const HTTP_QUARANTINE_PART_SIZE = 2_000;
/** How much of a refused body the quarantine keeps (all of it when smaller). */
export const REFUSED_BODY_KEPT_BYTES = 64 * 1024;

export interface LineError {
  readonly line: number;
  readonly code: string;
  readonly reason: string;
}

export interface AcceptTelemetryResult {
  readonly accepted: number;
  /** Lines not taken: bad data (quarantined) plus lines the stream refused. */
  readonly rejected: number;
  /** Of the rejected, how many were valid but refused by the stream. */
  readonly refused: number;
  /** Every rejected line counted by code (STREAM_REFUSED included). */
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** The first REPORTED_LINE_ERRORS rejected lines, in line order. */
  readonly errors: readonly LineError[];
  /** Rejected lines not listed in errors. */
  readonly errorsOmitted: number;
}

/**
 * Takes one reading, or an NDJSON batch of them, from an HTTP request: valid readings go on the telemetry stream
 * as they were written (one record each, partition key = Name), invalid ones are quarantined with their line
 * numbers and reasons. A body that is one JSON object spread over several lines is one reading.
 *
 * Work and memory per request are bounded whatever the body holds: lines are read one at a time, readings go out
 * 500 at a time, rejections are kept in parts of 2,000, and the answer lists only the first 100 errors.
 */
export class AcceptTelemetry {
  constructor(
    private readonly stream: TelemetryStream,
    private readonly quarantine: Quarantine,
  ) {}

  async execute(request: TelemetryRequest): Promise<AcceptTelemetryResult> {
    const sourcePosition = `http:${request.requestId}`;
    const errors: LineError[] = [];
    const byCode = new Map<string, number>();
    let accepted = 0;
    let rejected = 0;
    let refused = 0;
    const noteError = (error: LineError): void => {
      rejected++;
      byCode.set(error.code, (byCode.get(error.code) ?? 0) + 1);
      // Lines arrive in order, but refused ones are known only after their chunk: keep the first N by line.
      if (errors.length < REPORTED_LINE_ERRORS || error.line < (errors[errors.length - 1] as LineError).line) {
        errors.push(error);
        errors.sort((a, b) => a.line - b.line);
        if (errors.length > REPORTED_LINE_ERRORS) errors.pop();
      }
    };

    let pendingRejections: Rejection[] = [];
    let parts = 0;
    const keepRejections = async (final: boolean): Promise<void> => {
      if (pendingRejections.length === 0) return;
      // One object per request when all fit in one part (the common case), `#part-N` objects beyond.
      const position = final && parts === 0 ? sourcePosition : `${sourcePosition}#part-${++parts}`;
      await this.quarantine.keep([{ sourcePosition: position, receivedAt: request.receivedAt, rejections: pendingRejections }]);
      pendingRejections = [];
    };

    let records: TelemetryRecord[] = [];
    let lines: number[] = [];
    const send = async (): Promise<void> => {
      if (records.length === 0) return;
      const outcome = await this.stream.put(records);
      const lineOf = new Map(records.map((record, i) => [record, lines[i] as number]));
      accepted += records.length - outcome.rejected.length;
      for (const { record, errorCode, errorMessage } of outcome.rejected) {
        refused++;
        noteError({ line: lineOf.get(record) ?? 0, code: STREAM_REFUSED, reason: `the stream refused it (${errorCode}: ${errorMessage}); send it again` });
      }
      records = [];
      lines = [];
    };

    for (const { line, text } of bodyLines(withoutByteOrderMark(request.text))) {
      const decoded = decodeLine(text, line, { now: request.receivedAt });
      if ('code' in decoded) {
        pendingRejections.push(decoded);
        noteError({ line, code: decoded.code, reason: decoded.reason });
        if (pendingRejections.length >= HTTP_QUARANTINE_PART_SIZE) await keepRejections(false);
        continue;
      }
      records.push({ partitionKey: decoded.name, data: Buffer.from(text + '\n', 'utf8') });
      lines.push(line);
      if (records.length >= STREAM_CHUNK) await send();
    }
    await send();
    await keepRejections(true);
    return {
      accepted, rejected, refused,
      rejectedByCode: Object.fromEntries([...byCode].sort(([a], [b]) => (a < b ? -1 : 1))),
      errors, errorsOmitted: rejected - errors.length,
    };
  }

  /**
   * Keeps a body refused whole at the edge, so nothing that arrived is lost: its bytes (text when UTF-8, base64
   * otherwise), or the first REFUSED_BODY_KEPT_BYTES of them with the whole size when it is bigger.
   */
  async refuse(body: RefusedBody): Promise<void> {
    const kept = body.bytes.subarray(0, REFUSED_BODY_KEPT_BYTES);
    const buffer = Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength);
    const text = isUtf8(buffer);
    const partial = body.size > kept.byteLength;
    await this.quarantine.keep([{
      sourcePosition: `http:${body.requestId}`,
      receivedAt: body.receivedAt,
      rejections: [{
        code: body.code, reason: body.reason, line: 0,
        raw: text ? buffer.toString('utf8') : buffer.toString('base64'),
        ...(text ? {} : { rawEncoding: 'base64' as const }),
        ...(partial ? { rawBytes: body.size } : {}),
      }],
    }]);
  }
}

/** The non-blank lines of a body, numbered from 1, one at a time; a single JSON object spread over lines is one line. */
function* bodyLines(text: string): Generator<{ line: number; text: string }, void, undefined> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}') && trimmed.includes('\n')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        yield { line: 1, text: JSON.stringify(value) };
        return;
      }
    } catch {
      // Not one object: NDJSON, read line by line below.
    }
  }
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (raw.trim() !== '') yield { line, text: raw };
    start = end + 1;
  }
}
