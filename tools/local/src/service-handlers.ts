import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, KinesisStreamBatchResponse, KinesisStreamEvent, S3Event } from 'aws-lambda';
import type { AwsConnection } from '@wildrydes/adapters/clients';
import type { Quarantine } from '@wildrydes/domain';
import type * as AggregationModule from '@wildrydes/aggregation';
import type * as ArchivalModule from '@wildrydes/archival';
import type * as HealthModule from '@wildrydes/health';
import type * as IngestionModule from '@wildrydes/ingestion';

type StreamHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
type EventHandler = (event: never) => Promise<unknown>;
type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
type UploadHandler = (event: S3Event) => Promise<unknown>;

export type ServiceName = 'health' | 'aggregation' | 'archival' | 'ingestion';
export const SERVICE_NAMES: readonly ServiceName[] = ['health', 'aggregation', 'archival', 'ingestion'];

/** The packages whose composition roots build each service (what `--watch` imports afresh). */
export const SERVICE_PACKAGES: Readonly<Record<ServiceName, string>> = {
  health: '@wildrydes/health',
  aggregation: '@wildrydes/aggregation',
  archival: '@wildrydes/archival',
  ingestion: '@wildrydes/ingestion',
};

/** Each service's handlers, as its Lambda functions would be invoked. */
export interface ServiceHandlers {
  readonly health: { readonly trackHealth: StreamHandler; readonly detectSilence: EventHandler };
  readonly aggregation: { readonly aggregateMinutes: StreamHandler };
  readonly archival: { readonly archiveReadings: StreamHandler; readonly archiveAlert: EventHandler };
  readonly ingestion: { readonly postTelemetry: HttpHandler; readonly importUpload: UploadHandler };
}

export interface ServiceModules {
  readonly health: typeof HealthModule;
  readonly aggregation: typeof AggregationModule;
  readonly archival: typeof ArchivalModule;
  readonly ingestion: typeof IngestionModule;
}

export interface ServiceWiring {
  /** Settings as a Lambda would see them. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A fresh connection per service (each build makes its own clients, as a new Lambda instance would). */
  readonly connectionFor: (service: ServiceName) => AwsConnection;
  /** The quarantine archival and ingestion share (the local stack counts what it keeps). */
  readonly quarantine: Quarantine;
}

/** Builds one service's handlers from its module (imported statically, or afresh by `--watch`). */
export function buildServiceHandlers<S extends ServiceName>(service: S, module: ServiceModules[S], wiring: ServiceWiring): ServiceHandlers[S] {
  const { env, quarantine } = wiring;
  const connection = wiring.connectionFor(service);
  switch (service) {
    case 'health': {
      const m = module as typeof HealthModule;
      const container = m.createHealthContainer(m.readHealthConfig(env), connection);
      return { trackHealth: container.get<StreamHandler>(m.HEALTH_TOKENS.TrackHealthHandler), detectSilence: container.get<EventHandler>(m.HEALTH_TOKENS.DetectSilenceHandler) } as ServiceHandlers[S];
    }
    case 'aggregation': {
      const m = module as typeof AggregationModule;
      const container = m.createAggregationContainer(m.readAggregationConfig(env), connection);
      return { aggregateMinutes: container.get<StreamHandler>(m.AGGREGATION_TOKENS.AggregateMinutesHandler) } as ServiceHandlers[S];
    }
    case 'archival': {
      const m = module as typeof ArchivalModule;
      const container = m.createArchivalContainer(m.readArchivalConfig(env), connection, { quarantine });
      return {
        archiveReadings: container.get<StreamHandler>(m.ARCHIVAL_TOKENS.ArchiveReadingsHandler), archiveAlert: container.get<EventHandler>(m.ARCHIVAL_TOKENS.ArchiveAlertHandler),
      } as ServiceHandlers[S];
    }
    default: {
      const m = module as typeof IngestionModule;
      const container = m.createIngestionContainer(m.readIngestionConfig(env), connection, { quarantine });
      return {
        postTelemetry: container.get<HttpHandler>(m.INGESTION_TOKENS.PostTelemetryHandler), importUpload: container.get<UploadHandler>(m.INGESTION_TOKENS.ImportUploadHandler),
      } as ServiceHandlers[S];
    }
  }
}

/**
 * The handlers the mappings, rules and servers call, replaceable while they run: each call goes to the service's
 * current build. A replaced build is retired (its clients closed) once its calls in flight have finished.
 */
export class SwappableHandlers {
  private readonly builds = new Map<ServiceName, { handlers: object; inFlight: number; retire?: () => void }>();

  constructor(initial: ServiceHandlers) {
    for (const service of SERVICE_NAMES) this.builds.set(service, { handlers: initial[service], inFlight: 0 });
  }

  /** A stable function that calls `service`'s current `name` handler. */
  handler<S extends ServiceName, K extends keyof ServiceHandlers[S]>(service: S, name: K): ServiceHandlers[S][K] {
    const call = async (event: unknown): Promise<unknown> => {
      const build = this.builds.get(service)!;
      build.inFlight++;
      try {
        return await (build.handlers as Record<K, (event: unknown) => Promise<unknown>>)[name](event);
      } finally {
        build.inFlight--;
        if (build.inFlight === 0 && build.retire !== undefined) {
          const retire = build.retire;
          delete build.retire;
          retire();
        }
      }
    };
    return call as ServiceHandlers[S][K];
  }

  /** Later calls go to `handlers`; `retire` runs once the previous build has no call in flight. */
  swap<S extends ServiceName>(service: S, handlers: ServiceHandlers[S], retirePrevious: () => void): void {
    const previous = this.builds.get(service)!;
    this.builds.set(service, { handlers: handlers as object, inFlight: 0 });
    if (previous.inFlight === 0) retirePrevious();
    else previous.retire = retirePrevious;
  }
}
