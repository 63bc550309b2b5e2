import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** A request as a plain Node HTTP server sees it. */
export interface PlainHttpRequest {
  readonly method: string;
  /** The path, with its query string if any. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
  readonly requestId: string;
  /** When it arrived (epoch ms). Default: now. */
  readonly receivedAt?: number;
  readonly sourceIp?: string;
}

/**
 * The API Gateway HTTP API (payload 2.0) event for a plain request, so the local runtime's HTTP server calls
 * the same handler as API Gateway. The body is always passed base64-encoded, as API Gateway does for binary
 * media types, so no byte is reinterpreted on the way.
 */
export function toApiGatewayEvent(req: PlainHttpRequest): APIGatewayProxyEventV2 {
  const receivedAt = req.receivedAt ?? Date.now();
  const [rawPath = '/', rawQueryString = ''] = splitOnce(req.path, '?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',');
  }
  const method = req.method.toUpperCase();
  const routeKey = `${method} ${rawPath}`;
  const queryStringParameters = rawQueryString === '' ? undefined : Object.fromEntries(new URLSearchParams(rawQueryString));
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: (headers['host'] ?? 'localhost').split('.')[0] ?? 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: req.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: req.requestId,
      routeKey,
      stage: '$default',
      time: apiGatewayTime(receivedAt),
      timeEpoch: receivedAt,
    },
    body: req.body.toString('base64'),
    isBase64Encoded: true,
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time format, `22/Nov/2026:10:00:00 +0000`. */
function apiGatewayTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
