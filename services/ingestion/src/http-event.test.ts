import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine, InMemoryTelemetryStream } from '@wildrydes/test-kit';
import { AcceptTelemetry } from './accept-telemetry.use-case';
import { loadEvent } from '@wildrydes/test-kit';
import { toApiGatewayEvent } from './http-event';
import { createPostTelemetryHandler } from './post-telemetry.handler';
import { READINGS_START, readingLine } from '@wildrydes/test-kit';

describe('toApiGatewayEvent', () => {
  const body = Buffer.from(readingLine('Épona', READINGS_START) + '\n');
  const request = {
    method: 'post', path: '/telemetry?source=local', headers: { 'Content-Type': 'application/x-ndjson', Host: '127.0.0.1:4572', 'X-Multi': ['a', 'b'] },
    body, requestId: 'local-1', receivedAt: READINGS_START + 5_000,
  };

  it('builds the HTTP API payload 2.0 shape API Gateway sends', () => {
    const event = toApiGatewayEvent(request);
    const captured = loadEvent<APIGatewayProxyEventV2>('apigw-v2/post-telemetry-batch.json');
    expect(Object.keys(event).filter((k) => k !== 'queryStringParameters').sort()).toEqual(Object.keys(captured).sort());
    expect(Object.keys(event.requestContext).sort()).toEqual(Object.keys(captured.requestContext).sort());
    expect(event).toMatchObject({
      routeKey: 'POST /telemetry', rawPath: '/telemetry', rawQueryString: 'source=local', queryStringParameters: { source: 'local' },
      headers: { 'content-type': 'application/x-ndjson', host: '127.0.0.1:4572', 'x-multi': 'a,b' },
      requestContext: { requestId: 'local-1', timeEpoch: READINGS_START + 5_000, time: '22/Nov/2026:10:00:05 +0000', http: { method: 'POST', path: '/telemetry' } },
      isBase64Encoded: true,
    });
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(body);
  });

  it('drives the handler as API Gateway would', async () => {
    const stream = new InMemoryTelemetryStream();
    const handler = createPostTelemetryHandler({
      acceptTelemetry: new AcceptTelemetry(stream, new InMemoryQuarantine()), maxBodyBytes: 1_048_576,
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'test', serviceName: 'test' }),
    });
    expect((await handler(toApiGatewayEvent(request))).statusCode).toBe(202);
    expect(stream.partitionKeys()).toEqual(['Épona']);
  });
});
