import { decodeLine, type Quarantine, type Rejection, type TelemetryRecord, type TelemetryStream } from '@wildrydes/domain';

/** A POST /telemetry body, already checked at the edge (size, UTF-8, content type). */
export interface TelemetryRequest {
  /** API Gateway's request id: the quarantine's source position. */
  readonly requestId: string;
  /** When the request arrived (epoch ms): readings are judged against it; it partitions the quarantine. */
  readonly receivedAt: number;
  readonly text: string;
}

/** A line the stream refused after its retries: the client should send it again. Not bad data, so not quarantined. */
export const STREAM_REFUSED = 'STREAM_REFUSED';

export interface LineResult {
  readonly line: number;
  readonly status: 'accepted' | 'rejected';
  readonly code?: string;
  readonly reason?: string;
}

export interface AcceptTelemetryResult {
  readonly accepted: number;
  readonly rejected: number;
  /** Of the rejected, how many were valid but refused by the stream. */
  readonly refused: number;
  /** One per non-blank line, in line order. */
  readonly results: readonly LineResult[];
}

/**
 * Takes one reading, or an NDJSON batch of them, from an HTTP request: valid readings go on the telemetry stream
 * as they were written (one record each, partition key = Name), invalid ones are quarantined with their line
 * numbers and reasons. A body that is one JSON object spread over several lines is one reading.
 */
export class AcceptTelemetry {
  constructor(
    private readonly stream: TelemetryStream,
    private readonly quarantine: Quarantine,
  ) {}

  async execute(request: TelemetryRequest): Promise<AcceptTelemetryResult> {
    const results = new Map<number, LineResult>();
    const rejections: Rejection[] = [];
    const records: TelemetryRecord[] = [];
    const lineOf = new Map<TelemetryRecord, number>();
    for (const { line, text } of bodyLines(request.text)) {
      const decoded = decodeLine(text, line, { now: request.receivedAt });
      if ('code' in decoded) {
        rejections.push(decoded);
        results.set(line, { line, status: 'rejected', code: decoded.code, reason: decoded.reason });
        continue;
      }
      const record = { partitionKey: decoded.name, data: Buffer.from(text + '\n', 'utf8') };
      records.push(record);
      lineOf.set(record, line);
      results.set(line, { line, status: 'accepted' });
    }
    if (rejections.length > 0) {
      await this.quarantine.keep([{ sourcePosition: `http:${request.requestId}`, receivedAt: request.receivedAt, rejections }]);
    }
    let refused = 0;
    if (records.length > 0) {
      const outcome = await this.stream.put(records);
      for (const { record, errorCode, errorMessage } of outcome.rejected) {
        const line = lineOf.get(record);
        if (line === undefined) continue;
        refused++;
        results.set(line, { line, status: 'rejected', code: STREAM_REFUSED, reason: `the stream refused it (${errorCode}: ${errorMessage}); send it again` });
      }
    }
    const ordered = [...results.values()].sort((a, b) => a.line - b.line);
    const accepted = ordered.filter((r) => r.status === 'accepted').length;
    return { accepted, rejected: ordered.length - accepted, refused, results: ordered };
  }
}

/** The non-blank lines of a body, numbered from 1; a single JSON object spread over lines is one line. */
function bodyLines(text: string): { line: number; text: string }[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.includes('\n')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return [{ line: 1, text: JSON.stringify(value) }];
    } catch {
      // Not one object: NDJSON, read line by line below.
    }
  }
  const lines: { line: number; text: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') lines.push({ line: i + 1, text: line });
  });
  return lines;
}
