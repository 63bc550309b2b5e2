import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, S3Event } from 'aws-lambda';
import { toApiGatewayEvent } from '@wildrydes/ingestion';

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The local stand-in for the HTTP API in front of the ingestion function: it turns each request into the
 * API Gateway v2 event the deployed function receives and writes the function's answer back. Bodies are read
 * up to twice the function's limit, so an oversize request is refused without being held whole.
 */
export async function startIngestionHttpServer(handler: HttpHandler, options: { host: string; port: number; maxBodyBytes: number }): Promise<{ url: string; close(): Promise<void> }> {
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 2 * options.maxBodyBytes) {
        refused = true;
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `body exceeds ${options.maxBodyBytes} bytes` }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const event = toApiGatewayEvent({
        method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers as Record<string, string | undefined>,
        body: Buffer.concat(chunks), requestId: `local-${Date.now()}-${++counter}`,
      });
      handler(event).then(
        (result) => {
          res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined).end(result.body ?? '');
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (error as Error).message }));
        },
      );
    });
  });
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

/**
 * The local stand-in for the bucket's ObjectCreated notification on `uploads/` (s3rver sends none): it lists the
 * prefix and hands each new or changed object to the import function as the S3 event the deployed function gets.
 */
export function watchUploads(s3: S3Client, bucket: string, handler: (event: S3Event) => Promise<unknown>, options: { intervalMs: number; onError: (error: unknown) => void }): { stop(): Promise<void> } {
  const seen = new Map<string, string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const scan = async (): Promise<void> => {
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'uploads/', ...(ContinuationToken ? { ContinuationToken } : {}) }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || seen.get(object.Key) === object.ETag) continue;
        await handler(s3Event(bucket, object.Key, object.Size ?? 0, object.ETag ?? '', object.LastModified ?? new Date()));
        seen.set(object.Key, object.ETag ?? '');
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(scan).catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function s3Event(bucket: string, key: string, size: number, eTag: string, lastModified: Date): S3Event {
  return {
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: lastModified.toISOString(), eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'local' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'wildrydes-uploads',
        bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
        // As S3 does: the key URL-encoded, spaces as '+'.
        object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'), size, eTag: eTag.replace(/"/g, ''), sequencer: lastModified.getTime().toString(16) },
      },
    }],
  };
}
