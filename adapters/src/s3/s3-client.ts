import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, registered, targetsLocalServer, type AwsConnection } from '../sdk/aws-connection';

/**
 * An S3 client. Against a local server (an endpoint in the connection, or an http:// one in `AWS_ENDPOINT_URL_S3`):
 * path-style addressing and checksums only when required (see below).
 */
export function createS3Client(connection?: AwsConnection): S3Client {
  const config = clientConfig(connection, 's3');
  const local = !targetsLocalServer(connection, 's3') ? {} : {
    // Virtual-host style would resolve <bucket>.localhost (the SDK only falls back to path style for an IP address).
    forcePathStyle: true,
    // The default aws-chunked upload with a trailing CRC32 was stored verbatim by s3rver (the local runtime now
    // decodes it); other stand-ins may do the same, and a checksum adds nothing on loopback.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  return registered(connection, 's3', new S3Client({ ...config, ...local }));
}
