import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, S3Event } from 'aws-lambda';
import { guardRequestListener, type RelayedS3Event } from '@wildrydes/local-aws';
import { toApiGatewayEvent } from '@wildrydes/ingestion';

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface IngestionHttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  /** Web origins allowed to post from a browser (the dashboard); others, and foreign Host headers, get 403. */
  readonly allowedOrigins?: readonly string[];
}

/**
 * The local stand-in for the HTTP API in front of the ingestion function: it turns each request into the
 * API Gateway v2 event the deployed function receives and writes the function's answer back.
 *
 * Memory per request is bounded: at most maxBodyBytes + 1 bytes of a body are held. The rest of an oversize body
 * is counted and dropped as it arrives, and the function gets the start with the whole size in Content-Length
 * (as a gateway that read only the start would say it), so it can answer 413 and quarantine that start.
 */
export async function startIngestionHttpServer(handler: HttpHandler, options: IngestionHttpServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  let counter = 0;
  const keep = options.maxBodyBytes + 1;
  const server: Server = createServer(guardRequestListener((req, res) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (held >= keep) return;
      const part = chunk.length > keep - held ? chunk.subarray(0, keep - held) : chunk;
      chunks.push(part);
      held += part.length;
    });
    req.on('end', () => {
      const headers = { ...(req.headers as Record<string, string | undefined>), 'content-length': String(size) };
      const requestId = `local-${Date.now()}-${++counter}`;
      const event = toApiGatewayEvent({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks), requestId });
      // As API Gateway does: the request id (the quarantine's `http:<id>`) comes back in a header.
      res.setHeader('apigw-requestid', requestId);
      handler(event).then(
        (result) => {
          res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined).end(result.body ?? '');
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (error as Error).message }));
        },
      );
    });
  }, { allowedOrigins: options.allowedOrigins ?? [] }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface UploadNotificationOptions {
  /** Delays before each retry of a failed invocation; Lambda's asynchronous invocation retries twice. */
  readonly retryDelaysMs?: readonly number[];
  readonly log: (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export interface UploadNotifications {
  /** Events that failed every attempt (on AWS they go to the failure queue `wildrydes-ingestion-failures`). */
  failed(): readonly S3Event[];
  /** Resolves when every notification received so far has been handled (or given up on). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stand-in for the bucket's S3 → Lambda notification on `uploads/`: each ObjectCreated event s3rver
 * emits (relayed by the emulator host) invokes the import function at once, one event at a time, as Lambda's
 * asynchronous invocation would: a failure is retried twice, then the event is set aside and the next one runs,
 * so no upload is ever retried forever and none blocks those after it. Nothing is listed or remembered here:
 * which versions were imported is the import's own durable marker (its report), so a restart imports nothing
 * again and a redelivered event is harmless.
 */
export function deliverUploadNotifications(
  subscribe: (listener: (event: RelayedS3Event) => void) => () => void,
  handler: (event: S3Event) => Promise<unknown>,
  options: UploadNotificationOptions,
): UploadNotifications {
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 2_000];
  const failed: S3Event[] = [];
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
  const invoke = async (event: S3Event): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await handler(event);
        return;
      } catch (error) {
        const keys = event.Records.map((r) => r.s3.object.key);
        if (attempt >= retryDelaysMs.length || stopped) {
          failed.push(event);
          options.log('error', 'ingestion: upload import failed every attempt; set aside (on AWS: the failure queue)', { keys, error: (error as Error).message });
          return;
        }
        options.log('error', `ingestion: upload import failed; retrying (${attempt + 1} of ${retryDelaysMs.length})`, { keys, error: (error as Error).message });
        await sleep(retryDelaysMs[attempt] as number);
      }
    }
  };
  const unsubscribe = subscribe((event) => {
    if (stopped) return;
    queue = queue.then(() => invoke(event as unknown as S3Event));
  });
  return {
    failed: () => failed,
    idle: () => queue,
    stop: async () => {
      stopped = true;
      unsubscribe();
      await queue;
    },
  };
}
