import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig, registered, type AwsConnection } from '../sdk/aws-connection';

export function createEventBridgeClient(connection?: AwsConnection): EventBridgeClient {
  return registered(connection, 'eventbridge', new EventBridgeClient(clientConfig(connection, 'eventbridge')));
}
