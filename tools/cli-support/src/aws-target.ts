import { createAwsClients, environmentEndpoint, type AwsClientEndpoints, type AwsClients } from '@wildrydes/adapters/clients';
import { readLocalEndpoints } from '@wildrydes/local-aws';

export interface TargetOptions {
  /** Endpoints from `.wildrydes/local.json` (or `endpointsFile`). */
  readonly local: boolean;
  readonly endpointsFile?: string;
  /** One endpoint URL for every client (the tool uses one service). */
  readonly endpoint?: string;
  readonly region: string;
}

export interface Target {
  readonly clients: AwsClients;
  /** Where the endpoint is, for error messages. */
  readonly endpoints: AwsClientEndpoints | undefined;
  readonly region: string;
}

/**
 * SDK clients for the local stack (`--local`, `--endpoints-file`), one endpoint (`--endpoint`), the endpoints in
 * the standard `AWS_ENDPOINT_URL_<SERVICE>` variables (`set -a; . .wildrydes/local.env; set +a`), or AWS.
 */
export async function resolveTarget(options: TargetOptions): Promise<Target> {
  if (options.endpoint !== undefined) {
    const url = options.endpoint;
    const endpoints = { region: options.region, kinesis: url, dynamodb: url, s3: url, eventbridge: url };
    return { clients: createAwsClients(endpoints), endpoints, region: options.region };
  }
  if (options.local || options.endpointsFile !== undefined) {
    const endpoints = await readLocalEndpoints(options.endpointsFile);
    return { clients: createAwsClients(endpoints), endpoints, region: endpoints.region };
  }
  // The SDK reads the region from the environment; the flag (or its default) goes there.
  process.env['AWS_REGION'] = options.region;
  // Without endpoints the SDK itself honours AWS_ENDPOINT_URL_*; the adapters add what local servers need.
  return { clients: createAwsClients(), endpoints: endpointsFromEnvironment(options.region), region: options.region };
}

/**
 * The endpoints that `AWS_ENDPOINT_URL_<SERVICE>` (or `AWS_ENDPOINT_URL`) set, for messages and for the local bus's
 * alert feed; a service without a variable shows AWS's own endpoint. Undefined when no variable is set.
 */
export function endpointsFromEnvironment(region: string): AwsClientEndpoints | undefined {
  const kinesis = environmentEndpoint('kinesis');
  const dynamodb = environmentEndpoint('dynamodb');
  const s3 = environmentEndpoint('s3');
  const eventbridge = environmentEndpoint('eventbridge');
  if (kinesis === undefined && dynamodb === undefined && s3 === undefined && eventbridge === undefined) return undefined;
  return {
    region,
    kinesis: kinesis ?? `https://kinesis.${region}.amazonaws.com`,
    dynamodb: dynamodb ?? `https://dynamodb.${region}.amazonaws.com`,
    s3: s3 ?? `https://s3.${region}.amazonaws.com`,
    ...(eventbridge === undefined ? {} : { eventbridge }),
  };
}

/** The workshop's default, unless the environment names a region. */
export const defaultRegion = (): string => process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
