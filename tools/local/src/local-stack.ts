import { join } from 'node:path';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import type { KinesisStreamEvent } from 'aws-lambda';
import {
  BillingMeter, FileCheckpointStore, SharedShardReader, InMemoryCheckpointStore, KinesisEventSourceMapping, provisionResources, rawGetRecords, startLocalEventBridge, startLocalRuntime,
  type GetRecordsCall,
  type CheckpointStore, type LocalEventBridge, type LocalRuntime, type ReplayChaos, type ReplayChaosCounts,
} from '@wildrydes/local-aws';
import { awsConnection, createAwsClients, type AwsClients, type AwsConnection, type SdkClient } from '@wildrydes/adapters/clients';
import { createKinesisClient } from '@wildrydes/adapters/kinesis';
import { createS3Client, S3Quarantine } from '@wildrydes/adapters/s3';
import { RESOURCE_NAMES, STREAM_MAPPINGS, UNICORN_ALERT_EVENT_PATTERN, parseUnicornAlert, type Quarantine, type QuarantinedRecord, type UnicornAlert } from '@wildrydes/domain';
import * as aggregationModule from '@wildrydes/aggregation';
import * as archivalModule from '@wildrydes/archival';
import { ARCHIVE_ALERTS_RULE, readArchivalConfig } from '@wildrydes/archival';
import * as healthModule from '@wildrydes/health';
import * as ingestionModule from '@wildrydes/ingestion';
import { UPLOADS_PREFIX, readIngestionConfig } from '@wildrydes/ingestion';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { EventBridgeAlertSource, startDashboard } from '@wildrydes/dashboard';
import { readLocalEndpoints, writeLocalEndpointsFile } from '@wildrydes/local-aws';
import { importServiceAfresh, watchServiceSources, type LiveReloadOptions } from './live-reload';
import { deliverUploadNotifications, startIngestionHttpServer } from './local-ingestion';
import { buildServiceHandlers, SERVICE_NAMES, SwappableHandlers, type ServiceHandlers, type ServiceModules, type ServiceName } from './service-handlers';
import { StreamServiceStatsRecorder, type StreamServiceStats } from './stream-service-stats';
import { AlertsFirst, type AlertsFirstOptions } from './alerts-first';


export interface LocalStackOptions {
  /** Ports of the stand-ins; 0 means any free port (tests). Defaults: the runtime's documented ports. */
  readonly ports?: { kinesis?: number; dynamodb?: number; s3?: number; eventbridge?: number; httpIngestion?: number };
  /** Delays before the retries of a failed upload import (Lambda's asynchronous invocation retries twice). */
  readonly uploadRetryDelaysMs?: readonly number[];
  /**
   * Web origins allowed to call the local servers from a browser (the dashboard's, when it runs); every other
   * origin, and any Host header but this machine's loopback, gets 403. Default: none.
   */
  readonly allowedOrigins?: readonly string[];
  readonly dataDir?: string;
  readonly writeEndpointsFile?: boolean;
  readonly endpointsFilePath?: string;
  /** How often the mappings poll a shard with nothing new, in ms (Lambda: about a second). */
  readonly pollIntervalMs?: number;
  /** The mappings' batching window; the deployed functions use 5–20 s, locally 1 s keeps the demo lively. */
  readonly batchingWindowSeconds?: number;
  /** Called with every `unicorn-alert` event the bus delivers (the console subscriber). */
  readonly onAlert?: (alert: UnicornAlert) => void;
  /** Every log line of the services and mappings (default: warnings and errors to stderr). */
  readonly log?: (level: string, message: string, fields?: Record<string, unknown>) => void;
  /** The aggregation's tumbling window, if not the deployed 15 minutes (tests close windows in seconds). */
  readonly tumblingWindowSeconds?: number;
  /** Shards of the `wildrydes` stream when it is created (default 2). */
  readonly telemetryShards?: number;
  /** Settings as a Lambda would see them (thresholds, names); defaults to this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Serve the fleet dashboard on 127.0.0.1 (port 0 = any free port); absent: no dashboard. */
  readonly dashboard?: { readonly port: number; readonly tileUrl?: string };
  /** The mappings' replay mode (the replay suite): redeliveries, random bisects, crashed invocations. Off by default. */
  readonly replayChaos?: ReplayChaos;
  /**
   * While health is busy behind a batch's records, aggregation and archival invocations of that shard wait a little
   * before they start, so the machine's CPU goes to alerts first (`alerts-first.ts`). Default on; `false` turns it off.
   */
  readonly alertsFirst?: false | AlertsFirstOptions;
  /**
   * Where the services' and mappings' clients connect instead of the stand-ins, per service (the faults suite puts
   * a fault-injecting proxy here). Provisioning and `clients` still talk to the stand-ins directly.
   */
  readonly serviceEndpoints?: (endpoints: LocalRuntime['endpoints']) => Partial<Record<'kinesis' | 'dynamodb' | 's3' | 'eventbridge', string>>;
  /**
   * `--watch`: an edit to a service's handlers, use cases or the shared code rebuilds that service from freshly
   * imported modules and swaps its handlers; stand-ins, data, stream positions and tables stay as they are.
   */
  readonly watch?: LiveReloadOptions & {
    /** Called after each reload attempt: what was reloaded, or why the previous code keeps running. */
    readonly onReload: (outcome: { service: string; changed: string; ms: number } | { service: string; changed: string; error: Error }) => void;
  };
}

export interface LocalStack {
  readonly runtime: LocalRuntime;
  readonly clients: AwsClients;
  readonly bus: LocalEventBridge;
  /** `POST <ingestionUrl>/telemetry` takes readings as the deployed HTTP API does. */
  readonly ingestionUrl: string;
  /** The fleet dashboard's address, when `dashboard` was asked for. */
  readonly dashboardUrl: string | undefined;
  /** Records (or file parts) the services have quarantined since the stack started. */
  quarantinedRecords(): number;
  /** Per stream service: invocations, records, handler time and lag (iterator age). */
  streamServiceStats(): Record<string, StreamServiceStats>;
  /** What AWS would bill each service for, counted from every call its clients made. */
  readonly meter: BillingMeter;
  /** Per stream service, what the replay mode did (zeros without it). */
  replayChaosCounts(): Record<string, ReplayChaosCounts>;
  /** Resolves when every mapping has read its shards to the tip and no invocation is in flight (`closedWindows`: and every tumbling window has had its final invocation). */
  drain(timeoutMs?: number, options?: { readonly closedWindows?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** The deployed functions' memory (infra's ServiceFunction default), for the meter's GB-seconds. */
const LAMBDA_MEMORY_MB = 512;

const FUNCTION_ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/**
 * The whole product on one machine: the AWS stand-ins, every service's real handlers wired as on AWS — Kinesis
 * event-source mappings on `wildrydes` for health, aggregation and archival (ReportBatchItemFailures, bisect,
 * bounded retries), the silence scan on a `rate(1 minute)` schedule, archival's own `unicorn-alert` rule —,
 * each built by its service's composition root with local clients.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  let bus: LocalEventBridge | undefined;
  const runtime = await startLocalRuntime({
    ...(options.ports === undefined ? {} : { ports: { kinesis: options.ports.kinesis, dynamodb: options.ports.dynamodb, s3: options.ports.s3, eventbridge: options.ports.eventbridge } }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    writeEndpointsFile: options.writeEndpointsFile ?? false,
    ...(options.endpointsFilePath === undefined ? {} : { endpointsFilePath: options.endpointsFilePath }),
    startEventBridge: async (start) => (bus = await startLocalEventBridge(start)),
    allowedOrigins: options.allowedOrigins ?? [],
    s3NotificationPrefixes: [UPLOADS_PREFIX],
  });
  const mappings: KinesisEventSourceMapping[] = [];
  const mappingsByService = new Map<string, KinesisEventSourceMapping>();
  const stoppers: (() => Promise<void>)[] = [];
  const clients = createAwsClients(runtime.endpoints);
  const meter = new BillingMeter();
  const serviceClients: SdkClient[] = [];
  // Each build of a service has its own clients, closed when a reload retires the build.
  const buildClients = new Map<ServiceName, SdkClient[]>();
  const destroyClients = (): void => {
    clients.destroy();
    serviceClients.splice(0).forEach((client) => client.destroy());
    for (const service of SERVICE_NAMES) buildClients.get(service)?.splice(0).forEach((client) => client.destroy());
  };
  try {
    await provisionResources(clients, RESOURCE_NAMES, options.telemetryShards === undefined ? {} : { telemetryShardCount: options.telemetryShards });
    const env = options.env ?? process.env;
    const log = options.log ?? ((level, message, fields) => {
      if (level === 'warn' || level === 'error') console.error(`[${level}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
    });

    // Each service makes its own clients, as its Lambda would; the meter counts what AWS would bill each of them.
    const serviceEndpoints = { ...runtime.endpoints, ...options.serviceEndpoints?.(runtime.endpoints) };
    const connectionFor = (label: string, made: SdkClient[] = serviceClients): AwsConnection => awsConnection(serviceEndpoints, (client) => {
      meter.attach(client, label);
      made.push(client);
    });
    const archivalConfig = readArchivalConfig(env);
    // One quarantine for the two services that keep rejects, counting what it keeps for the status line.
    const quarantine = new CountingQuarantine(new S3Quarantine(createS3Client(connectionFor('archival')), archivalConfig.dataBucket));
    const ingestionConfig = readIngestionConfig(env);
    const build = <S extends ServiceName>(service: S, module: ServiceModules[S]): ServiceHandlers[S] => {
      const made: SdkClient[] = [];
      const handlers = buildServiceHandlers(service, module, { env, quarantine, connectionFor: (label) => connectionFor(label, made) });
      buildClients.set(service, made);
      return handlers;
    };
    const staticModules: ServiceModules = { health: healthModule, aggregation: aggregationModule, archival: archivalModule, ingestion: ingestionModule };
    const initialModule = async <S extends ServiceName>(service: S): Promise<ServiceModules[S]> =>
      options.watch?.serviceModules?.[service] === undefined ? staticModules[service] : importServiceAfresh(service, options.watch);
    const services = new SwappableHandlers({
      health: build('health', await initialModule('health')),
      aggregation: build('aggregation', await initialModule('aggregation')),
      archival: build('archival', await initialModule('archival')),
      ingestion: build('ingestion', await initialModule('ingestion')),
    });
    // The mappings read the stream as Lambda's pollers do (GetRecords is billed to the stream, on demand).
    const pollerKinesis = createKinesisClient(connectionFor('event-source-mappings'));
    // One GetRecords loop per shard for the three mappings (each keeps its own position and batches).
    // It reads kinesalite without the SDK (whose deserializer cost more than the handlers), so it meters the reads itself.
    const readRaw = rawGetRecords(serviceEndpoints.kinesis);
    const getRecords: GetRecordsCall = async (shardIterator, limit, signal) => {
      const answer = await readRaw(shardIterator, limit, signal);
      let bytes = 0;
      for (const record of answer.Records) bytes += Buffer.byteLength(record.base64Data ?? '', 'base64') + Buffer.byteLength(record.PartitionKey ?? '');
      meter.recordGetRecords('event-source-mappings', RESOURCE_NAMES.telemetryStream, { records: answer.Records.length, bytes });
      return answer;
    };
    const shardReader = new SharedShardReader({ kinesis: pollerKinesis, getRecords, streamName: RESOURCE_NAMES.telemetryStream, pollIntervalMs: options.pollIntervalMs ?? 1000 });

    const stats = new StreamServiceStatsRecorder();
    // Alerts first when the machine is short of CPU: aggregation and archival batches wait while health is behind them.
    const alertsFirst = options.alertsFirst === false ? undefined : new AlertsFirst(options.alertsFirst);
    const checkpoints = (name: string): CheckpointStore =>
      options.dataDir === undefined ? new InMemoryCheckpointStore() : new FileCheckpointStore(join(options.dataDir, 'checkpoints', name));
    const prioritised = <R>(service: 'health' | 'aggregation' | 'archival', handler: (event: KinesisStreamEvent) => Promise<R>) => {
      if (alertsFirst === undefined) return handler;
      return service === 'health' ? alertsFirst.first(handler) : alertsFirst.yielding(handler);
    };
    for (const [service, handler] of [
      ['health', services.handler('health', 'trackHealth')],
      ['aggregation', services.handler('aggregation', 'aggregateMinutes')],
      ['archival', services.handler('archival', 'archiveReadings')],
    ] as const) {
      const functionName = `wildrydes-${service}`;
      const settings = STREAM_MAPPINGS[service];
      const mapping = new KinesisEventSourceMapping({
        kinesis: pollerKinesis, shardReader, streamName: RESOURCE_NAMES.telemetryStream, functionName,
        handler: prioritised(service, stats.observe(service, handler, (ms) => meter.recordInvocation(functionName, ms, LAMBDA_MEMORY_MB, service))),
        checkpointStore: checkpoints(functionName), startingPosition: 'TRIM_HORIZON', batchSize: settings.batchSize,
        // The deployed windows (up to 20 s) would make the demo sluggish; locally at most 1 s by default.
        maximumBatchingWindowInSeconds: Math.min(settings.maxBatchingWindowSeconds, options.batchingWindowSeconds ?? 1),
        functionResponseTypes: ['ReportBatchItemFailures'], bisectBatchOnFunctionError: true,
        maximumRetryAttempts: settings.retryAttempts, maximumRecordAgeInSeconds: settings.maxRecordAgeSeconds,
        ...(settings.tumblingWindowSeconds === undefined ? {} : { tumblingWindowInSeconds: options.tumblingWindowSeconds ?? settings.tumblingWindowSeconds }),
        pollIntervalMs: options.pollIntervalMs ?? 1000,
        onFailure: async (failure) => log('error', `${functionName}: records discarded after retries`, { failure }),
        log: (level, message, fields) => log(level, `${functionName}: ${message}`, fields),
        ...(options.replayChaos === undefined ? {} : { replayChaos: options.replayChaos }),
      });
      mappingsByService.set(service, mapping);
      mapping.start();
      mappings.push(mapping);
    }

    const eventBridge = bus!;
    await subscribe(clients, eventBridge, 'wildrydes-health-silence-scan', { ScheduleExpression: 'rate(1 minute)', EventBusName: 'default' },
      services.handler('health', 'detectSilence'));
    await subscribe(clients, eventBridge, ARCHIVE_ALERTS_RULE.ruleName, { EventPattern: JSON.stringify(ARCHIVE_ALERTS_RULE.eventPattern), EventBusName: RESOURCE_NAMES.eventBus },
      services.handler('archival', 'archiveAlert'));
    if (options.onAlert !== undefined) {
      const onAlert = options.onAlert;
      await subscribe(clients, eventBridge, 'wildrydes-console-alerts', { EventPattern: JSON.stringify(UNICORN_ALERT_EVENT_PATTERN), EventBusName: RESOURCE_NAMES.eventBus },
        async (event: { detail: unknown }) => onAlert(parseUnicornAlert(event.detail)));
    }

    const http = await startIngestionHttpServer(services.handler('ingestion', 'postTelemetry'), {
      host: '127.0.0.1', port: options.ports?.httpIngestion ?? Number(env['WILDRYDES_HTTP_INGESTION_PORT'] ?? 4572), maxBodyBytes: ingestionConfig.maxHttpBodyBytes,
      allowedOrigins: options.allowedOrigins ?? [],
    });
    stoppers.push(http.close);
    // S3 → Lambda: each ObjectCreated under uploads/ invokes the import at once (no listing, nothing kept here).
    const uploads = deliverUploadNotifications(runtime.onS3Event, services.handler('ingestion', 'importUpload'), {
      ...(options.uploadRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.uploadRetryDelaysMs }), log,
    });
    stoppers.push(uploads.stop);
    const dashboardUrl = options.dashboard === undefined ? undefined
      : await serveDashboard(options.dashboard, clients, eventBridge, runtime, () => quarantine.kept, stoppers, log);
    if (options.watch !== undefined) {
      const { onReload } = options.watch;
      const watcher = watchServiceSources(options.watch, async (service, changed) => {
        const started = performance.now();
        try {
          const module = await importServiceAfresh(service, options.watch);
          const previousClients = buildClients.get(service) ?? [];
          services.swap(service, build(service, module), () => previousClients.forEach((client) => client.destroy()));
          onReload({ service, changed, ms: performance.now() - started });
        } catch (error) {
          onReload({ service, changed, error: error as Error });
        }
      });
      // Stopped first: no reload may start once the stack is stopping.
      stoppers.unshift(watcher.stop);
    }

    return {
      runtime, clients, bus: eventBridge, ingestionUrl: http.url, dashboardUrl,
      quarantinedRecords: () => quarantine.kept,
      streamServiceStats: () => stats.snapshot(),
      replayChaosCounts: () => Object.fromEntries([...mappingsByService].map(([service, mapping]) => [service, mapping.replayChaosCounts()])),
      meter,
      drain: async (timeoutMs = 60_000, drainOptions = {}) => { await Promise.all(mappings.map((m) => m.drain({ timeoutMs, ...drainOptions }))); },
      stop: async () => {
        await Promise.all([...stoppers.map((stop) => stop()), ...mappings.map((m) => m.stop())]);
        destroyClients();
        await runtime.stop();
      },
    };
  } catch (error) {
    await Promise.all([...stoppers.map((stop) => stop()), ...mappings.map((m) => m.stop())]);
    destroyClients();
    await runtime.stop();
    throw error;
  }
}

/**
 * The fleet dashboard (tools/dashboard) on this stack: its alert feed is an ordinary rule on the bus whose target is
 * this process, raw readings come from DuckDB over the local archive; its address goes into the endpoints file.
 */
async function serveDashboard(
  settings: NonNullable<LocalStackOptions['dashboard']>, clients: AwsClients, bus: LocalEventBridge, runtime: LocalRuntime,
  quarantinedRecords: () => number, stoppers: (() => Promise<void>)[], log: NonNullable<LocalStackOptions['log']>,
): Promise<string> {
  const archive = new DuckDbQueryEngine({ bucketDir: join(runtime.endpoints.s3DataDir, RESOURCE_NAMES.dataBucket) });
  // The dashboard follows both streams as one more consumer; like the mappings, it reads kinesalite without the SDK.
  const readRaw = rawGetRecords(runtime.endpoints.kinesis);
  const dashboard = await startDashboard({
    clients, archive, port: settings.port, quarantinedRecords, log: (message) => log('warn', message),
    kinesisGetRecords: (shardIterator, limit, signal) => readRaw(shardIterator, limit, signal ?? new AbortController().signal),
    alerts: new EventBridgeAlertSource(clients.eventBridge, (arn, handler) => bus.registerTargetHandler(arn, (event) => handler(event))),
    ...(settings.tileUrl === undefined ? {} : { tileUrl: settings.tileUrl }),
  }).catch(async (error: unknown) => {
    await archive.close();
    throw error;
  });
  stoppers.push(async () => {
    await dashboard.stop();
    await archive.close();
  });
  if (runtime.endpointsFile !== undefined) {
    await writeLocalEndpointsFile(runtime.endpointsFile, { ...(await readLocalEndpoints(runtime.endpointsFile)), dashboard: dashboard.url });
  }
  return dashboard.url;
}

/** Counts the records kept; a replayed record is counted again (it overwrites the same object). */
class CountingQuarantine implements Quarantine {
  kept = 0;
  constructor(private readonly inner: Quarantine) {}

  async keep(records: readonly QuarantinedRecord[]): Promise<void> {
    await this.inner.keep(records);
    this.kept += records.length;
  }
}

/** A rule and its one target, created through the EventBridge API as on AWS, delivered to an in-process handler. */
async function subscribe(
  clients: AwsClients, bus: LocalEventBridge, rule: string,
  definition: { ScheduleExpression?: string; EventPattern?: string; EventBusName: string },
  handler: (event: never) => Promise<unknown>,
): Promise<void> {
  await clients.eventBridge.send(new PutRuleCommand({ Name: rule, State: 'ENABLED', ...definition }));
  await clients.eventBridge.send(new PutTargetsCommand({ Rule: rule, EventBusName: definition.EventBusName, Targets: [{ Id: 'handler', Arn: FUNCTION_ARN(rule) }] }));
  bus.registerTargetHandler(FUNCTION_ARN(rule), (event) => handler(event as never));
}
