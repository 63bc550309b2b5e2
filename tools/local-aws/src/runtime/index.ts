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
