export { awsConnection, createAwsClients, type AwsClientEndpoints, type AwsClients } from './aws-clients';
export { clientConfig, withoutSdkLogging, type AwsConnection, type AwsServiceName, type SdkClient } from '../sdk/aws-connection';
