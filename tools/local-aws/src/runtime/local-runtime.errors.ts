/** Errors of the local runtime. Each carries a stable `code` so callers and tests never match on wording. */

export class LocalRuntimePortInUseError extends Error {
  readonly code = 'LOCAL_RUNTIME_PORT_IN_USE' as const;

  constructor(
    readonly service: string,
    readonly port: number,
    readonly host: string,
    readonly envVar: string,
  ) {
    super(
      `${service} port ${port} on ${host} is already in use (is another local stack running?). ` +
        `Stop whatever holds it, or set ${envVar} to another port (0 picks any free port).`,
    );
    this.name = 'LocalRuntimePortInUseError';
  }
}

export class LocalRuntimeConfigError extends Error {
  readonly code = 'LOCAL_RUNTIME_INVALID_CONFIG' as const;

  constructor(message: string) {
    super(message);
    this.name = 'LocalRuntimeConfigError';
  }
}

export class LocalRuntimeStartError extends Error {
  readonly code = 'LOCAL_RUNTIME_START_FAILED' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalRuntimeStartError';
  }
}

export const LOCAL_STACK_NOT_RUNNING_MESSAGE = 'the local stack is not running: start it with npm run local';

export class LocalStackNotRunningError extends Error {
  readonly code = 'LOCAL_STACK_NOT_RUNNING' as const;

  constructor(
    readonly endpointsFile: string,
    detail?: string,
  ) {
    super(`${LOCAL_STACK_NOT_RUNNING_MESSAGE} (${detail ?? `no ${endpointsFile}`})`);
    this.name = 'LocalStackNotRunningError';
  }
}

export class LocalEndpointsFileInvalidError extends Error {
  readonly code = 'LOCAL_ENDPOINTS_FILE_INVALID' as const;

  constructor(
    readonly endpointsFile: string,
    reason: string,
  ) {
    super(`${endpointsFile} is not a valid local endpoints file: ${reason}. Restart the stack with npm run local.`);
    this.name = 'LocalEndpointsFileInvalidError';
  }
}

export class ResourceProvisioningTimeoutError extends Error {
  readonly code = 'RESOURCE_PROVISIONING_TIMEOUT' as const;

  constructor(
    readonly resource: string,
    readonly lastStatus: string | undefined,
    timeoutMs: number,
  ) {
    super(`${resource} did not become ACTIVE within ${timeoutMs} ms (last status: ${lastStatus ?? 'unknown'})`);
    this.name = 'ResourceProvisioningTimeoutError';
  }
}

export class LocalRuntimeDataDirInUseError extends Error {
  readonly code = 'LOCAL_RUNTIME_DATA_DIR_IN_USE' as const;

  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`${dataDir} is in use by another local runtime (process ${ownerPid}); stop it or pick another --data-dir`);
    this.name = 'LocalRuntimeDataDirInUseError';
  }
}
