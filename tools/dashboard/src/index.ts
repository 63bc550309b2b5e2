export { startDashboard, PAGE_DIR, type RunningDashboard, type StartDashboardOptions } from './start-dashboard';
export { startDashboardServer, DEFAULT_LIMITS, type DashboardServer, type DashboardServerOptions, type DashboardLimits } from './dashboard-server';
export { LiveFleet, type FleetLine, type LiveEvent, type LiveFleetOptions } from './live-fleet';
export { FleetView, FRAME_FIELDS, LEVEL_CODES, type HealthLevel, type PositionFrame, type UnicornView } from './fleet-view';
export type { LiveSource, LiveSources, StopLiveSource } from './live-sources.port';
export { EventBridgeAlertSource, SqsAlertSource, NoAlertSource, DASHBOARD_ALERTS_RULE, type RegisterTargetHandler } from './sources/alert-sources';
export { KinesisReadingSource, KinesisMinuteClosedSource } from './sources/kinesis-sources';
