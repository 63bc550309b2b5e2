const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export interface FatalContext {
  /** The AWS service the tool talks to, e.g. `Kinesis`. */
  readonly service: string;
  /** Its endpoint URL, as configured or as AWS's default. */
  readonly endpoint: string;
  /** Named in "does not exist": e.g. `stream "wildrydes"`. */
  readonly resource: string;
}

/** One line saying what went wrong, for a fatal error; never a stack trace. */
export function describeFatalError(error: unknown, context: FatalContext): string {
  const networkCode = findNetworkCode(error);
  if (networkCode !== undefined) return `cannot reach ${context.service} at ${context.endpoint} (connect ${networkCode})`;
  const name = error instanceof Error ? error.name : '';
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (name === 'ResourceNotFoundException') return `${context.resource} does not exist`;
  if (name === 'CredentialsProviderError') return `no AWS credentials (${message}); set AWS_PROFILE or use --local`;
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') return `${context.service} refused the call (${name}: ${message})`;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('LOCAL_')) return message;
  return name !== '' && name !== 'Error' ? `${name}: ${message}` : message;
}

/** The network error code (ECONNREFUSED, ECONNRESET, …) behind an error, if it is one: the endpoint is unreachable. */
export function findNetworkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  for (const inner of nested) {
    const found = findNetworkCode(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const firstLine = (text: string): string => text.split('\n')[0]?.trim() ?? '';
