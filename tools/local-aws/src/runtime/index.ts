export {
  startLocalRuntime,
  LOCAL_DEFAULT_HOST,
  LOCAL_DEFAULT_REGION,
  type LocalEventBridgeHandle,
  type LocalEventBridgeStarter,
  type LocalEventBridgeStartOptions,
  type LocalRuntime,
  type LocalRuntimeExit,
  type StartLocalRuntimeOptions,
} from './start-local-runtime';
export {
  defaultEndpointsFilePath,
  findRepoRoot,
  formatLocalEnvFile,
  loadLocalEnvCommand,
  localEnvFilePath,
  readLocalEndpoints,
  writeLocalEndpointsFile,
  type LocalEndpoints,
  type LocalEndpointsFile,
} from './local-endpoints-file';
export {
  LOCAL_DEFAULT_PORTS,
  LOCAL_PORT_ENV_VARS,
  portsFromBase,
  resolveLocalPorts,
  type LocalServiceName,
  type LocalServicePorts,
} from './local-runtime-ports';
export {
  provisionResources,
  type ProvisionedResourceNames,
  type ProvisionOptions,
  type ProvisionReport,
} from './provision-resources';
export {
  LocalEndpointsFileInvalidError,
  LocalRuntimeConfigError,
  LocalRuntimeDataDirInUseError,
  LocalRuntimePortInUseError,
  LocalRuntimeStartError,
  LocalStackNotRunningError,
  LOCAL_STACK_NOT_RUNNING_MESSAGE,
  ResourceProvisioningTimeoutError,
} from './local-runtime.errors';
export { ALLOWED_ORIGINS_ENV_VAR, allowedOriginsFromEnv, guardRequestListener, guardServer, judgeLocalRequest, type GuardVerdict, type LocalRequestGuardOptions } from './local-request-guard';
export { escapingS3Path, guardS3Keys } from './s3-key-guard';
export { encodeS3NotificationKey, toAwsS3Notification } from './s3-notification';
export type { RelayedS3Event } from './emulator-host.protocol';
