import http from 'node:http';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig, registered, type AwsConnection } from '../sdk/aws-connection';

/** A Kinesis client. Against a local endpoint it speaks HTTP/1.1: the client's default HTTP/2 handler cannot talk to kinesalite. */
export function createKinesisClient(connection?: AwsConnection): KinesisClient {
  const config = clientConfig(connection, 'kinesis');
  const local = config.endpoint === undefined ? {} : { requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }) };
  return registered(connection, 'kinesis', new KinesisClient({ ...config, ...local }));
}
