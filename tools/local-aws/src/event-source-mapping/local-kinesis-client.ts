import http from 'node:http';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { withoutSdkLogging } from '@wildrydes/adapters/clients';

/**
 * A Kinesis client for a plain-http endpoint such as kinesalite. The client's default HTTP/2 handler fails
 * against plain http with ERR_HTTP2_ERROR, so it gets an HTTP/1.1 handler with keep-alive.
 */
export function createLocalKinesisClient(endpoint: string, region = 'us-east-1'): KinesisClient {
  return withoutSdkLogging(new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
  }));
}
