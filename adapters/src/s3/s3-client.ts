import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, registered, type AwsConnection } from '../sdk/aws-connection';

/** An S3 client. Against a local endpoint: path-style addressing and checksums only when required (see below). */
export function createS3Client(connection?: AwsConnection): S3Client {
  const config = clientConfig(connection, 's3');
  const local = config.endpoint === undefined ? {} : {
    // Virtual-host style would resolve <bucket>.127.0.0.1 / <bucket>.localhost.
    forcePathStyle: true,
    // The default aws-chunked upload with a trailing CRC32 is stored verbatim by s3rver, corrupting bodies.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  return registered(connection, 's3', new S3Client({ ...config, ...local }));
}
