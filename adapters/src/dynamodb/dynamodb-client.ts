import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig, registered, type AwsConnection } from '../sdk/aws-connection';

export function createDynamoDbClient(connection?: AwsConnection): DynamoDBClient {
  return registered(connection, 'dynamodb', new DynamoDBClient(clientConfig(connection, 'dynamodb')));
}

/** A document client over its own DynamoDB client; undefined attributes are left out rather than refused. */
export function createDynamoDbDocumentClient(connection?: AwsConnection, dynamodb = createDynamoDbClient(connection)): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
}
