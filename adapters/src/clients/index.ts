export { awsConnection, createAwsClients, type AwsClientEndpoints, type AwsClients } from './aws-clients';
export { clientConfig, environmentEndpoint, targetsLocalServer, withoutSdkLogging, type AwsConnection, type AwsServiceName, type SdkClient } from '../sdk/aws-connection';
