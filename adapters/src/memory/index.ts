export { InMemoryTelemetryStream, type InMemoryTelemetryStreamOptions, type PutFailureMode } from './in-memory-telemetry-stream';
export { InMemoryAlertPublisher, type AlertFailureMode } from './in-memory-alert-publisher';
export { InMemoryArchiveStore } from './in-memory-archive-store';
export { InMemoryQuarantine } from './in-memory-quarantine';
export { InMemorySummaryPublisher } from './in-memory-summary-publisher';
