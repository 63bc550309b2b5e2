import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import type { TelemetryStream } from '@wildrydes/domain';
import { AcceptTelemetry, HTTP_QUARANTINE_PART_SIZE, REFUSED_BODY_KEPT_BYTES } from './accept-telemetry.use-case';
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
  it('answers 202 with counts and the line errors for a batch with one bad line, and quarantines it', async () => {
    const { stream, quarantine, handler } = setup();
    const response = await handler(event('post-telemetry-batch'));
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({
      accepted: 2,
      rejected: 1,
      rejectedByCode: { INVALID_TIMESTAMP: 1 },
      errors: [{ line: 3, code: 'INVALID_TIMESTAMP', reason: expect.stringMatching(/StatusTime "yesterday"/) }],
      errorsOmitted: 0,
    });
    expect((stream as InMemoryTelemetryStream).partitionKeys()).toEqual(['Shadowfax', 'Rocinante']);
    expect([...quarantine.objects().values()].flat().map((l) => [l.sourcePosition, l.line])).toEqual([['http:Kq1x3hZ0IAMEb8Q=', 3]]);
  });

  it('answers 400 with the reasons when no line is accepted', async () => {
    const { quarantine, handler } = setup();
    const response = await handler(event('post-telemetry-all-rejected'));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ code: 'NO_READING_ACCEPTED', accepted: 0, rejected: 2, errors: [{ line: 1, code: 'INVALID_JSON' }, { line: 2, code: 'LATITUDE_OUT_OF_RANGE' }] });
    expect(quarantine.rejectionCount()).toBe(2);
  });

  it('answers 413 past the size limit, without reading the body, and keeps its start with the size', async () => {
    const { stream, quarantine, handler } = setup(1024);
    const e = event('post-telemetry-too-large');
    const size = Buffer.from(e.body ?? '', e.isBase64Encoded ? 'base64' : 'utf8').length;
    const response = await handler(e);
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect((stream as InMemoryTelemetryStream).records()).toEqual([]);
    const kept = [...quarantine.objects().values()].flat();
    expect(kept.map((l) => [l.code, l.line, l.sourcePosition])).toEqual([['BODY_TOO_LARGE', 0, `http:${e.requestContext.requestId}`]]);
    expect(kept[0]?.raw.length).toBe(Math.min(size, REFUSED_BODY_KEPT_BYTES));
    if (size > REFUSED_BODY_KEPT_BYTES) expect(kept[0]?.rawBytes).toBe(size);
  });

  it('takes the whole size from Content-Length when a gateway read only the start of the body', async () => {
    const { quarantine, handler } = setup(1024);
    const response = await handler(event('post-telemetry-batch', (e) => { e.headers['content-length'] = '5000000'; }));
    expect(response.statusCode).toBe(413);
    expect([...quarantine.objects().values()].flat()[0]).toMatchObject({ code: 'BODY_TOO_LARGE', rawBytes: 5_000_000 });
  });

  it('answers 404 on any path but /telemetry, and keeps nothing', async () => {
    const { stream, quarantine, handler } = setup();
    for (const path of ['/anything', '/', '/telemetry/x', '/Telemetry']) {
      const response = await handler(event('post-telemetry-batch', (e) => { e.rawPath = path; e.requestContext.http.path = path; }));
      expect([path, response.statusCode, bodyOf(response)['code']]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect((stream as InMemoryTelemetryStream).records()).toEqual([]);
    expect(quarantine.rejectionCount()).toBe(0);
  });

  it('keeps a body that is not UTF-8 as base64 bytes with the reason', async () => {
    const { quarantine, handler } = setup();
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    await handler(event('post-telemetry-batch', (e) => { e.isBase64Encoded = true; e.body = bytes.toString('base64'); }));
    expect([...quarantine.objects().values()].flat().map((l) => [l.code, l.rawEncoding, Buffer.from(l.raw, 'base64').equals(bytes)])).toEqual([['INVALID_UTF8', 'base64', true]]);
  });

  it('bounds the answer for a body of a hundred thousand bad lines: counts, the first 100 errors, the rest summarised', async () => {
    const { quarantine, handler } = setup();
    const lines = 100_000;
    const response = await handler(event('post-telemetry-batch', (e) => { e.isBase64Encoded = false; e.body = 'x\n'.repeat(lines); }));
    expect(response.statusCode).toBe(400);
    const body = bodyOf(response);
    expect(body).toMatchObject({ accepted: 0, rejected: lines, rejectedByCode: { INVALID_JSON: lines }, errorsOmitted: lines - 100 });
    expect((body['errors'] as { line: number }[]).map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((response.body ?? '').length).toBeLessThan(20_000);
    expect(quarantine.rejectionCount()).toBe(lines);
    expect(quarantine.objects().size).toBe(lines / HTTP_QUARANTINE_PART_SIZE);
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
    const { quarantine, handler } = setup();
    const response = await handler(event('post-telemetry-batch', patch));
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toMatchObject({ code });
    if (status === 405) expect(response.headers).toMatchObject({ allow: 'POST' });
    // A body refused whole is kept with its reason; a wrong method or an empty body holds nothing to keep.
    const kept = [...quarantine.objects().values()].flat().map((l) => [l.code, l.line]);
    expect(kept).toEqual(status === 405 || code === 'EMPTY_BODY' ? [] : [[code, 0]]);
  });

  it('answers 503 when the stream takes nothing, and when it is unreachable', async () => {
    const refusing = new InMemoryTelemetryStream({ failureMode: () => ({ errorCode: 'InternalFailure' }), maxRetries: 0 });
    const refused = await setup(1_048_576, refusing).handler(event('post-telemetry-base64'));
    expect(refused.statusCode).toBe(503);
    expect(bodyOf(refused)).toMatchObject({ code: 'STREAM_UNAVAILABLE', errors: [{ line: 1, code: 'STREAM_REFUSED' }] });
    const broken: TelemetryStream = { put: async () => { throw new Error('ECONNREFUSED'); } };
    expect((await setup(1_048_576, broken).handler(event('post-telemetry-base64'))).statusCode).toBe(503);
  });
});
