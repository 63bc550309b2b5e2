import { isUtf8 } from 'node:buffer';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RejectionCode } from '@wildrydes/domain';
import type { AcceptTelemetry } from './accept-telemetry.use-case';

export interface PostTelemetryHandlerDependencies {
  readonly acceptTelemetry: AcceptTelemetry;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Media types a body of readings may be sent as (charset, if given, must be UTF-8). */
export const ACCEPTED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines',
]);

const json = (statusCode: number, body: object, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const problem = (statusCode: number, code: string, message: string, headers?: Record<string, string>): APIGatewayProxyStructuredResultV2 =>
  json(statusCode, { code, message }, headers);

/**
 * `POST /telemetry` (API Gateway HTTP API, payload v2; locally the runtime's HTTP server with the same event):
 * 202 when at least one line was accepted, 400 when none was or the body is unusable, 413 past the size limit,
 * 404 for other paths, 405 for other methods, 503 when the stream took nothing (send again). Answers carry counts,
 * the first 100 line errors and the rest counted by code. A body refused whole is quarantined with its reason.
 */
/** The one route the HTTP API serves. */
export const TELEMETRY_PATH = '/telemetry';

export function createPostTelemetryHandler(deps: PostTelemetryHandlerDependencies) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      if (event.rawPath !== TELEMETRY_PATH) return problem(404, 'NOT_FOUND', `no route ${event.rawPath}; readings go to POST ${TELEMETRY_PATH}`);
      const method = event.requestContext.http.method.toUpperCase();
      if (method !== 'POST') return problem(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed; use POST`, { allow: 'POST' });

      const body = event.body ?? '';
      const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      // A gateway in front may have read only the start of an oversize body; it says the whole size in Content-Length.
      const declared = Number(header(event, 'content-length') ?? Number.NaN);
      const size = Number.isFinite(declared) && declared > bytes.length ? declared : bytes.length;
      const refuse = async (statusCode: number, code: RejectionCode, message: string): Promise<APIGatewayProxyStructuredResultV2> => {
        // Nothing that arrived is dropped silently: the body (or its start) is kept with the reason.
        await deps.acceptTelemetry.refuse({ requestId: event.requestContext.requestId, receivedAt: event.requestContext.timeEpoch, code, reason: message, bytes, size });
        deps.metrics.addMetric('BodiesRefused', MetricUnit.Count, 1);
        return problem(statusCode, code, message);
      };

      if (size > deps.maxBodyBytes) return await refuse(413, 'BODY_TOO_LARGE', `the body is ${size} bytes; the limit is ${deps.maxBodyBytes}`);
      const contentType = header(event, 'content-type');
      const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
      const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
      if (!ACCEPTED_CONTENT_TYPES.has(mediaType) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
        return await refuse(400, 'UNSUPPORTED_CONTENT_TYPE', `content type must be application/json or application/x-ndjson (UTF-8), got "${(contentType ?? '').slice(0, 100)}"`);
      }
      const encoding = header(event, 'content-encoding');
      if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
        return await refuse(400, 'UNSUPPORTED_CONTENT_ENCODING', `content encoding "${encoding.slice(0, 100)}" is not supported; send the body uncompressed`);
      }
      if (!isUtf8(bytes)) return await refuse(400, 'INVALID_UTF8', 'the body is not valid UTF-8');
      const text = bytes.toString('utf8');
      if (text.trim() === '') return problem(400, 'EMPTY_BODY', 'the body holds no reading');

      const result = await deps.acceptTelemetry.execute({ requestId: event.requestContext.requestId, receivedAt: event.requestContext.timeEpoch, text });
      deps.metrics.addMetric('ReadingsAccepted', MetricUnit.Count, result.accepted);
      deps.metrics.addMetric('LinesRejected', MetricUnit.Count, result.rejected - result.refused);
      deps.metrics.addMetric('StreamEntriesRefused', MetricUnit.Count, result.refused);
      const { accepted, rejected, rejectedByCode, errors, errorsOmitted } = result;
      const summary = { accepted, rejected, rejectedByCode, errors, errorsOmitted };
      if (accepted > 0) return json(202, summary);
      if (result.refused > 0) return json(503, { code: 'STREAM_UNAVAILABLE', message: 'the stream took no reading; send them again', ...summary }, { 'retry-after': '1' });
      return json(400, { code: 'NO_READING_ACCEPTED', message: 'no line holds a valid reading', ...summary });
    } catch (error) {
      deps.logger.error('telemetry not taken', error as Error);
      return problem(503, 'UNAVAILABLE', 'telemetry could not be taken now; send it again', { 'retry-after': '1' });
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
