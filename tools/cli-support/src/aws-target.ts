import { createAwsClients, type AwsClientEndpoints, type AwsClients } from '@wildrydes/adapters/clients';
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

/** SDK clients for the local stack (`--local`, `--endpoints-file`), one endpoint (`--endpoint`), or AWS. */
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
  return { clients: createAwsClients(), endpoints: undefined, region: options.region };
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
