import http from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { LocalEndpoints } from './local-endpoints-file';
import { LOCAL_DEFAULT_PORTS } from './local-runtime-ports';

export interface AwsClients {
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly eventBridge: EventBridgeClient;
  /** Closes every client's sockets, so a CLI or test can exit without waiting for keep-alive timeouts. */
  destroy(): void;
}

export type AwsClientEndpoints = Pick<LocalEndpoints, 'region' | 'kinesis' | 'dynamodb' | 's3' | 'eventbridge'>;

/** The local servers check no credentials, but the SDK refuses to sign without some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * SDK v3 clients for the local stack (with endpoints) or for real AWS (without: region and credentials
 * come from the usual provider chain). The same adapters then run unchanged against both.
 */
export function createAwsClients(endpoints?: AwsClientEndpoints): AwsClients {
  const clients = endpoints === undefined ? createAwsCloudClients() : createLocalClients(endpoints);
  return {
    ...clients,
    destroy: () => {
      clients.documentClient.destroy();
      clients.dynamodb.destroy();
      clients.kinesis.destroy();
      clients.s3.destroy();
      clients.eventBridge.destroy();
    },
  };
}

type Clients = Omit<AwsClients, 'destroy'>;

function createLocalClients(endpoints: AwsClientEndpoints): Clients {
  const common = { region: endpoints.region, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
  return {
    // The Kinesis client defaults to an HTTP/2 handler, which cannot talk to kinesalite's plain http.
    kinesis: new KinesisClient({
      ...common,
      endpoint: endpoints.kinesis,
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
    }),
    dynamodb,
    documentClient: documentClientFor(dynamodb),
    s3: new S3Client({
      ...common,
      endpoint: endpoints.s3,
      // Virtual-host style would resolve <bucket>.127.0.0.1 / <bucket>.localhost.
      forcePathStyle: true,
      // The default aws-chunked upload with a trailing CRC32 is stored verbatim by s3rver, corrupting bodies.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    // Until the EventBridge stand-in runs, point at its default local port: a call then fails with
    // ECONNREFUSED instead of reaching real AWS with dummy credentials.
    eventBridge: new EventBridgeClient({
      ...common,
      endpoint: endpoints.eventbridge ?? `http://127.0.0.1:${LOCAL_DEFAULT_PORTS.eventbridge}`,
    }),
  };
}

function createAwsCloudClients(): Clients {
  const dynamodb = new DynamoDBClient({});
  return {
    kinesis: new KinesisClient({}),
    dynamodb,
    documentClient: documentClientFor(dynamodb),
    s3: new S3Client({}),
    eventBridge: new EventBridgeClient({}),
  };
}

function documentClientFor(dynamodb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
}
