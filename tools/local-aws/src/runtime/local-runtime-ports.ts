import { LocalRuntimeConfigError } from './local-runtime.errors';

export type LocalServiceName = 'kinesis' | 'dynamodb' | 's3' | 'eventbridge';

export type LocalServicePorts = Record<LocalServiceName, number>;

/**
 * Stable defaults so a developer's AWS CLI profile and bookmarks keep working across restarts.
 * 4568 is skipped on purpose: it is s3rver's own default, so a stray s3rver would collide with us.
 * httpIngestion is reserved for the ingestion service's HTTP endpoint; this runtime does not bind it.
 */
export const LOCAL_DEFAULT_PORTS = {
  kinesis: 4567,
  dynamodb: 4569,
  s3: 4570,
  eventbridge: 4571,
  httpIngestion: 4572,
} as const;

export const LOCAL_PORT_ENV_VARS = {
  kinesis: 'WILDRYDES_KINESIS_PORT',
  dynamodb: 'WILDRYDES_DYNAMODB_PORT',
  s3: 'WILDRYDES_S3_PORT',
  eventbridge: 'WILDRYDES_EVENTBRIDGE_PORT',
  httpIngestion: 'WILDRYDES_HTTP_INGESTION_PORT',
} as const;

const SERVICES: readonly LocalServiceName[] = ['kinesis', 'dynamodb', 's3', 'eventbridge'];

/**
 * Ports for every local service: an explicit option wins over the environment, which wins over the default.
 * 0 means any free port.
 */
export function resolveLocalPorts(
  explicit: Partial<LocalServicePorts> = {},
  env: NodeJS.ProcessEnv = process.env,
): LocalServicePorts {
  const resolve = (service: LocalServiceName): number => {
    const given = explicit[service];
    if (given !== undefined) return checkPort(given, `ports.${service}`);
    const envVar = LOCAL_PORT_ENV_VARS[service];
    const raw = env[envVar];
    if (raw !== undefined && raw.trim() !== '') return checkPort(Number(raw.trim()), envVar);
    return LOCAL_DEFAULT_PORTS[service];
  };
  return Object.fromEntries(SERVICES.map((s) => [s, resolve(s)])) as LocalServicePorts;
}

/** `--port-base N` keeps the default layout, shifted: kinesis N, dynamodb N+2, s3 N+3, eventbridge N+4, http N+5. */
export function portsFromBase(base: number): LocalServicePorts & { httpIngestion: number } {
  checkPort(base, '--port-base');
  if (base === 0) throw new LocalRuntimeConfigError('--port-base must be a real port; use the *_PORT variables set to 0 for free ports');
  const shift = (port: number): number => checkPort(base + port - LOCAL_DEFAULT_PORTS.kinesis, '--port-base');
  return {
    kinesis: shift(LOCAL_DEFAULT_PORTS.kinesis),
    dynamodb: shift(LOCAL_DEFAULT_PORTS.dynamodb),
    s3: shift(LOCAL_DEFAULT_PORTS.s3),
    eventbridge: shift(LOCAL_DEFAULT_PORTS.eventbridge),
    httpIngestion: shift(LOCAL_DEFAULT_PORTS.httpIngestion),
  };
}

function checkPort(port: number, source: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LocalRuntimeConfigError(`${source} must be a port number from 0 to 65535, got ${String(port)}`);
  }
  return port;
}
