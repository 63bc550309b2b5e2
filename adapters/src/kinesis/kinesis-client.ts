import http from 'node:http';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig, registered, targetsLocalServer, type AwsConnection } from '../sdk/aws-connection';

/**
 * A Kinesis client. Against a local server (an endpoint in the connection, or an http:// one in
 * `AWS_ENDPOINT_URL_KINESIS`) it speaks HTTP/1.1: the client's default handler speaks HTTP/2, which kinesalite
 * alone cannot answer (the local runtime's Kinesis port accepts both) and most Kinesis stand-ins do not.
 */
export function createKinesisClient(connection?: AwsConnection): KinesisClient {
  const config = clientConfig(connection, 'kinesis');
  const local = !targetsLocalServer(connection, 'kinesis') ? {} : { requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }) };
  return registered(connection, 'kinesis', new KinesisClient({ ...config, ...local }));
}
