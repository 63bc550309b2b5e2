import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kinesisEvent } from '@wildrydes/test-kit';
import { kinesisBatchHandler } from './kinesis-batch-handler';
import { DEFAULT_METRICS_NAMESPACE, lambdaHandler, serviceTelemetry, tracedConnection } from './lambda-telemetry';
import { xrayTracer } from './xray-tracer';

const SERVICES_DIR = fileURLToPath(new URL('../..', import.meta.url));

const CONTEXT = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'WildRydesHealth-TrackHealthFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:WildRydesHealth-TrackHealthFunction',
  memoryLimitInMB: '512',
} as unknown as Context;

/** The JSON log lines a Logger writes while `act` runs (Powertools writes them to stdout). */
async function logLinesOf(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('serviceTelemetry', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('uses the stage namespace infra sets, else the default one', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(serviceTelemetry('wildrydes-health', {}).metrics).toBeInstanceOf(Metrics);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
      for (const env of [{}, { POWERTOOLS_METRICS_NAMESPACE: 'WildRydes-dev' }]) {
        const { metrics } = serviceTelemetry('wildrydes-health', env);
        metrics.addMetric('Probe', 'Count', 1);
        metrics.publishStoredMetrics();
      }
    } finally {
      write.mockRestore();
    }
    const namespaces = lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } })._aws.CloudWatchMetrics[0]!.Namespace);
    expect(namespaces).toEqual([DEFAULT_METRICS_NAMESPACE, 'WildRydes-dev']);
  });

  it('has no tracer unless one is made for it, and the X-Ray tracer records nothing outside Lambda', () => {
    expect(serviceTelemetry('wildrydes-health', {}).tracer).toBeUndefined();
    const { tracer } = serviceTelemetry('wildrydes-health', {}, xrayTracer);
    expect(tracer).toBeInstanceOf(Tracer);
    expect((tracer as Tracer).isTracingEnabled()).toBe(false);
    const client = { middlewareStack: { add: () => undefined }, destroy: () => undefined };
    expect(tracer?.captureAWSv3Client(client)).toBe(client);
  });

  it('importing the lambda kit does not load the X-Ray SDK (its async hook would tax every promise)', () => {
    const probe = [
      "import('@wildrydes/lambda-kit').then(() => {",
      "  const { createRequire } = require('node:module');",
      "  const cache = Object.keys(createRequire(process.cwd() + '/').cache);",
      "  process.stdout.write(String(cache.filter((path) => path.includes('aws-xray-sdk-core')).length));",
      '});',
    ].join('\n');
    const loaded = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=commonjs', '-e', probe], { cwd: SERVICES_DIR, encoding: 'utf8' });
    expect(loaded).toBe('0');
  });
});

describe('tracedConnection', () => {
  it('gives every new client to the tracer, then to the connection observer as before', () => {
    const captured: unknown[] = [];
    const observed: [unknown, unknown][] = [];
    const connection = tracedConnection(
      { region: 'eu-west-1', onClient: (client: { id: string }, service: string) => void observed.push([client, service]) },
      { captureAWSv3Client: <T>(client: T) => (captured.push(client), client) },
    );
    const client = { id: 'kinesis-client' };
    connection.onClient?.(client, 'kinesis');
    expect(captured).toEqual([client]);
    expect(observed).toEqual([[client, 'kinesis']]);
    expect(connection.region).toBe('eu-west-1');
  });

  it('traces clients of a connection that had no observer', () => {
    const captured: unknown[] = [];
    const connection = tracedConnection<{ onClient?: (client: object, service: string) => void }>({}, { captureAWSv3Client: <T>(client: T) => (captured.push(client), client) });
    connection.onClient?.({}, 's3');
    expect(captured).toHaveLength(1);
  });
});

describe('lambdaHandler', () => {
  // In Lambda the handler runs inside Powertools' capture (tracing stays off outside Lambda); locally with no tracer.
  const telemetry = (traced = true) => {
    const { tracer } = serviceTelemetry('wildrydes-test', {}, traced ? xrayTracer : undefined);
    return { logger: new Logger({ serviceName: 'wildrydes-test' }), tracer };
  };

  it('puts the invocation context (request id, function, cold start) on every line the handler logs', async () => {
    const tools = telemetry();
    const handler = lambdaHandler(tools, async (event: { n: number }) => {
      tools.logger.info('handled');
      return event.n * 2;
    });
    let result: number | undefined;
    const [line] = await logLinesOf(async () => (result = await handler({ n: 21 }, CONTEXT)));
    expect(result).toBe(42);
    expect(line).toMatchObject({
      message: 'handled',
      function_request_id: CONTEXT.awsRequestId,
      function_name: CONTEXT.functionName,
      cold_start: expect.any(Boolean),
    });
  });

  it('runs the handler alone when called without a context and without a tracer, as the local stack does', async () => {
    const tools = telemetry(false);
    const handler = lambdaHandler(tools, async (event: string) => {
      tools.logger.info('local');
      return event.toUpperCase();
    });
    let result: string | undefined;
    const [line] = await logLinesOf(async () => (result = await handler('shadowfax')));
    expect(result).toBe('SHADOWFAX');
    expect(line).not.toHaveProperty('function_request_id');
  });

  it('lets a handler error through unchanged, so the mapping retries the batch', async () => {
    const failure = new Error('table unavailable');
    const handler = lambdaHandler(telemetry(), async () => { throw failure; });
    await expect(handler({}, CONTEXT)).rejects.toBe(failure);
  });
});

describe('batch correlation', () => {
  it('names the shard and first and last sequence numbers on every line logged for a batch, and only for that batch', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const logger = new Logger({ serviceName: 'wildrydes-test' });
    const handler = kinesisBatchHandler(
      { logger, metrics: new Metrics({ namespace: 'test', serviceName: 'test' }), clock: () => 0 },
      async () => {
        logger.info('inside');
        return { counts: {} };
      },
    );
    const event = kinesisEvent(['a', 'b', 'c']);
    const lines = (await logLinesOf(async () => {
      await handler(event);
      logger.info('after');
    })).filter((line) => 'message' in line);
    vi.unstubAllEnvs();
    const records = event.Records;
    expect(lines[0]).toMatchObject({
      message: 'inside',
      batch: {
        shardId: records[0]!.eventID.split(':')[0],
        records: 3,
        firstSequenceNumber: records[0]!.kinesis.sequenceNumber,
        lastSequenceNumber: records[2]!.kinesis.sequenceNumber,
      },
    });
    expect(lines[1]).toMatchObject({ message: 'after' });
    expect(lines[1]).not.toHaveProperty('batch');
  });
});
