export { awsConnection, createAwsClients, type AwsClientEndpoints, type AwsClients } from './aws-clients';
export { clientConfig, environmentEndpoint, targetsLocalServer, type AwsConnection, type AwsServiceName, type SdkClient } from '../sdk/aws-connection';
