import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import type { TelemetryStream } from '@wildrydes/domain';
import { AcceptTelemetry } from './accept-telemetry.use-case';
import { loadEvent } from '@wildrydes/test-kit';
import { createPostTelemetryHandler } from './post-telemetry.handler';

const setup = (maxBodyBytes = 1_048_576, stream: TelemetryStream = new InMemoryTelemetryStream()) => {
  const quarantine = new InMemoryQuarantine();
  const handler = createPostTelemetryHandler({
    acceptTelemetry: new AcceptTelemetry(stream, quarantine),
    maxBodyBytes,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
  });
  return { stream, quarantine, handler };
};
const event = (name: string, patch: (e: APIGatewayProxyEventV2) => void = () => undefined): APIGatewayProxyEventV2 => {
  const e = loadEvent<APIGatewayProxyEventV2>(`apigw-v2/${name}.json`);
  patch(e);
  return e;
};
const bodyOf = (response: APIGatewayProxyStructuredResultV2): Record<string, unknown> => JSON.parse(response.body ?? '{}') as Record<string, unknown>;

describe('post-telemetry handler', () => {
  it('answers 202 with per-line results for a batch with one bad line, and quarantines it', async () => {
    const { stream, quarantine, handler } = setup();
    const response = await handler(event('post-telemetry-batch'));
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({
      accepted: 2,
      rejected: 1,
      results: [
        { line: 1, status: 'accepted' },
        { line: 2, status: 'accepted' },
        { line: 3, status: 'rejected', code: 'INVALID_TIMESTAMP', reason: expect.stringMatching(/StatusTime "yesterday"/) },
      ],
    });
    expect((stream as InMemoryTelemetryStream).partitionKeys()).toEqual(['Shadowfax', 'Rocinante']);
    expect([...quarantine.objects().values()].flat().map((l) => [l.sourcePosition, l.line])).toEqual([['http:Kq1x3hZ0IAMEb8Q=', 3]]);
  });

  it('answers 400 with the reasons when no line is accepted', async () => {
    const { quarantine, handler } = setup();
    const response = await handler(event('post-telemetry-all-rejected'));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ code: 'NO_READING_ACCEPTED', accepted: 0, rejected: 2, results: [{ line: 1, code: 'INVALID_JSON' }, { line: 2, code: 'LATITUDE_OUT_OF_RANGE' }] });
    expect(quarantine.rejectionCount()).toBe(2);
  });

  it('answers 413 past the size limit, without reading the body', async () => {
    const { stream, handler } = setup(1024);
    const response = await handler(event('post-telemetry-too-large'));
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect((stream as InMemoryTelemetryStream).records()).toEqual([]);
  });

  it('decodes a base64 body as UTF-8', async () => {
    const { stream, handler } = setup();
    const response = await handler(event('post-telemetry-base64'));
    expect(response.statusCode).toBe(202);
    expect((stream as InMemoryTelemetryStream).partitionKeys()).toEqual(['Épona']);
  });

  it('measures the limit on the decoded bytes of a base64 body', async () => {
    const e = event('post-telemetry-base64');
    const size = Buffer.from(e.body ?? '', 'base64').length;
    expect((await setup(size).handler(e)).statusCode).toBe(202);
    expect((await setup(size - 1).handler(e)).statusCode).toBe(413);
  });

  it.each<[string, (e: APIGatewayProxyEventV2) => void, number, string]>([
    ['another method', (e) => { e.requestContext.http.method = 'GET'; }, 405, 'METHOD_NOT_ALLOWED'],
    ['an empty body', (e) => { e.body = ''; }, 400, 'EMPTY_BODY'],
    ['a blank body', (e) => { e.body = ' \n\r\n'; }, 400, 'EMPTY_BODY'],
    ['no body', (e) => { delete e.body; }, 400, 'EMPTY_BODY'],
    ['a body that is not UTF-8', (e) => { e.isBase64Encoded = true; e.body = Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'); }, 400, 'INVALID_UTF8'],
    ['a form content type', (e) => { e.headers['content-type'] = 'application/x-www-form-urlencoded'; }, 400, 'UNSUPPORTED_CONTENT_TYPE'],
    ['no content type', (e) => { delete e.headers['content-type']; }, 400, 'UNSUPPORTED_CONTENT_TYPE'],
    ['a Latin-1 charset', (e) => { e.headers['content-type'] = 'application/json; charset=ISO-8859-1'; }, 400, 'UNSUPPORTED_CONTENT_TYPE'],
    ['a gzip content encoding', (e) => { e.headers['content-encoding'] = 'gzip'; }, 400, 'UNSUPPORTED_CONTENT_ENCODING'],
  ])('refuses %s', async (_, patch, status, code) => {
    const response = await setup().handler(event('post-telemetry-batch', patch));
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toMatchObject({ code });
    if (status === 405) expect(response.headers).toMatchObject({ allow: 'POST' });
  });

  it('answers 503 when the stream takes nothing, and when it is unreachable', async () => {
    const refusing = new InMemoryTelemetryStream({ failureMode: () => ({ errorCode: 'InternalFailure' }), maxRetries: 0 });
    const refused = await setup(1_048_576, refusing).handler(event('post-telemetry-base64'));
    expect(refused.statusCode).toBe(503);
    expect(bodyOf(refused)).toMatchObject({ code: 'STREAM_UNAVAILABLE', results: [{ line: 1, code: 'STREAM_REFUSED' }] });
    const broken: TelemetryStream = { put: async () => { throw new Error('ECONNREFUSED'); } };
    expect((await setup(1_048_576, broken).handler(event('post-telemetry-base64'))).statusCode).toBe(503);
  });
});
