import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, createDynamoDbDocumentClient } from '../dynamodb/dynamodb-client';
import { createEventBridgeClient } from '../eventbridge/eventbridge-client';
import { createKinesisClient } from '../kinesis/kinesis-client';
import { createS3Client } from '../s3/s3-client';
import type { AwsConnection, SdkClient } from '../sdk/aws-connection';

/** Every client a tool may need (the CLIs, the local stack). A Lambda builds only its own, in its composition root. */
export interface AwsClients {
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly eventBridge: EventBridgeClient;
  /** The connection these clients were made through: a service's composition root given it makes its clients alike. */
  readonly connection: AwsConnection;
  /** Closes the sockets of every client made through the connection, so a CLI or test can exit at once. */
  destroy(): void;
}

/** Endpoints of AWS-compatible servers, as the local stack writes them to `.wildrydes/local.json`. */
export interface AwsClientEndpoints {
  readonly region: string;
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
  readonly eventbridge?: string | undefined;
}

/** A connection to those servers, or to real AWS when there are none. */
export function awsConnection(endpoints?: AwsClientEndpoints, onClient?: AwsConnection['onClient']): AwsConnection {
  const observer = onClient === undefined ? {} : { onClient };
  if (endpoints === undefined) return observer;
  const { region, kinesis, dynamodb, s3, eventbridge } = endpoints;
  return { region, endpoints: { kinesis, dynamodb, s3, ...(eventbridge === undefined ? {} : { eventbridge }) }, ...observer };
}

/** SDK v3 clients for the local stack (with endpoints) or for real AWS (without); the same adapters run unchanged against both. */
export function createAwsClients(endpoints?: AwsClientEndpoints): AwsClients {
  const made: SdkClient[] = [];
  const connection = awsConnection(endpoints, (client) => made.push(client));
  const dynamodb = createDynamoDbClient(connection);
  return {
    kinesis: createKinesisClient(connection),
    dynamodb,
    documentClient: createDynamoDbDocumentClient(connection, dynamodb),
    s3: createS3Client(connection),
    eventBridge: createEventBridgeClient(connection),
    connection,
    destroy: () => made.splice(0).forEach((client) => client.destroy()),
  };
}
