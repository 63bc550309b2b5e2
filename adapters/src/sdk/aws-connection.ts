import type { AwsCredentialIdentity, HttpRequest, RequestSigner } from '@smithy/types';

export type AwsServiceName = 'kinesis' | 'dynamodb' | 's3' | 'eventbridge' | 'sqs' | 'athena';

/** What every SDK v3 client shares: it can be destroyed and carries a middleware stack. */
export interface SdkClient {
  destroy(): void;
  readonly middlewareStack: { add: (...args: never[]) => void; remove: (name: string) => boolean };
}

/**
 * Where a function's SDK clients connect. Without endpoints: real AWS, region and credentials from the usual
 * provider chain. With endpoints: AWS-compatible servers (the local stack, tests), which check no credentials.
 */
export interface AwsConnection {
  readonly region?: string;
  readonly endpoints?: Partial<Record<AwsServiceName, string>>;
  /** Called with every client made through this connection: the local stack meters calls and destroys clients on stop. */
  readonly onClient?: (client: SdkClient, service: AwsServiceName) => void;
}

/** The local servers check no credentials, but the SDK refuses to sign without some. */
const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Port 1 on loopback refuses connections: a service the local stack does not run fails with ECONNREFUSED
 * instead of reaching real AWS with dummy credentials.
 */
const UNREACHABLE_LOCAL_ENDPOINT = 'http://127.0.0.1:1';

/** The services whose clients skip computing SigV4 signatures against the local servers (see `localSigner`). */
const UNSIGNED_LOCALLY: ReadonlySet<AwsServiceName> = new Set(['dynamodb', 'kinesis']);

/**
 * A signer for the local stand-ins (dynalite, kinesalite): they check that a request carries SigV4's headers and
 * never verify the signature, so these are written well formed with a signature of zeros. Computing SigV4 hashes
 * the whole body and chains four HMACs: about 0.3 of the 1 ms of CPU a conditional PutItem to dynalite costs the
 * caller through the SDK (measured), and the local stack makes tens of thousands of them a minute at 5,000 unicorns.
 */
export function localSigner(service: AwsServiceName, region: string): RequestSigner {
  return {
    sign: async (request: HttpRequest): Promise<HttpRequest> => {
      const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
      request.headers['x-amz-date'] = amzDate;
      request.headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${amzDate.slice(0, 8)}/${region}/${service}/aws4_request, `
        + `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
      return request;
    },
  };
}

/** Region, endpoint and credentials for one service's client (and, for some local servers, the signer). */
export function clientConfig(connection: AwsConnection | undefined, service: AwsServiceName): {
  region?: string; endpoint?: string; credentials?: AwsCredentialIdentity; signer?: RequestSigner;
} {
  const region = connection?.region === undefined ? {} : { region: connection.region };
  if (connection?.endpoints === undefined) return region;
  return {
    ...region,
    endpoint: connection.endpoints[service] ?? UNREACHABLE_LOCAL_ENDPOINT,
    credentials: LOCAL_CREDENTIALS,
    ...(UNSIGNED_LOCALLY.has(service) ? { signer: localSigner(service, connection.region ?? 'us-east-1') } : {}),
  };
}

/** The service ids the SDKs use in `AWS_ENDPOINT_URL_<SERVICE>`. */
const ENDPOINT_VARIABLE: Readonly<Record<AwsServiceName, string>> = {
  kinesis: 'AWS_ENDPOINT_URL_KINESIS',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3: 'AWS_ENDPOINT_URL_S3',
  eventbridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  athena: 'AWS_ENDPOINT_URL_ATHENA',
};

/**
 * The endpoint the SDK itself will use for `service` when the client is given none: `AWS_ENDPOINT_URL_<SERVICE>`,
 * else `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true (the SDK's own rules).
 */
export function environmentEndpoint(service: AwsServiceName, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.toLowerCase() === 'true') return undefined;
  const value = env[ENDPOINT_VARIABLE[service]] || env['AWS_ENDPOINT_URL'];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Whether the client will talk to an AWS-compatible server rather than AWS: an endpoint given in the connection,
 * or a plain-http one in the environment (AWS serves HTTPS only). Such servers get the settings local
 * stand-ins need (HTTP/1.1 for Kinesis, path-style S3); credentials still come from the usual chain.
 */
export function targetsLocalServer(connection: AwsConnection | undefined, service: AwsServiceName): boolean {
  if (connection?.endpoints !== undefined) return true;
  return environmentEndpoint(service)?.startsWith('http://') ?? false;
}

/** Hands a new client to the connection's observer and returns it, without the SDK's logger middleware. */
export function registered<T extends SdkClient>(connection: AwsConnection | undefined, service: AwsServiceName, client: T): T {
  withoutSdkLogging(client);
  connection?.onClient?.(client, service);
  return client;
}

/**
 * Removes the SDK's logger middleware. Its default logger's `info` does nothing, yet the middleware first copies
 * the whole request and response through the operation's redaction filter on every call — a walk of 10,000
 * records per GetRecords page, of 500 per PutRecords. No client here is given a logger; the services log
 * through Powertools. Returns the client.
 */
export function withoutSdkLogging<T extends SdkClient>(client: T): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
