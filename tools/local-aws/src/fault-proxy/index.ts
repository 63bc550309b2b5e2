export { awsErrorResponse, startFaultProxy, type FaultCounts, type FaultedService, type FaultProxy, type FaultProxyOptions, type FaultShares } from './fault-proxy';
