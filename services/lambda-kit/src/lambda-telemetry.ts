import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { ServiceSettings, type Environment } from './service-settings';

/** What the lambda kit asks of a tracer: Powertools' X-Ray `Tracer` in Lambda (`@wildrydes/lambda-kit/xray`). */
export type ServiceTracer = Pick<Tracer, 'captureAWSv3Client' | 'captureLambdaHandler'>;

/** Makes a service's tracer; only the Lambda entry points pass one (`xrayTracer`). */
export type TracerFactory = (serviceName: string) => ServiceTracer;

/** The Powertools a service's functions share: structured logs, EMF metrics and, in Lambda, X-Ray traces. */
export interface ServiceTelemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** None outside Lambda: loading the X-Ray SDK hooks every promise of the process (see `xray-tracer.ts`). */
  readonly tracer: ServiceTracer | undefined;
}

/** The namespace when none is set (the default stage's); infra sets `POWERTOOLS_METRICS_NAMESPACE` per stage. */
export const DEFAULT_METRICS_NAMESPACE = 'WildRydes';

/**
 * A service's Powertools, made once per container. The metrics namespace comes from `POWERTOOLS_METRICS_NAMESPACE`
 * (one per stage, so two stages' dashboards never mix). The tracer comes from `makeTracer`, which the Lambda
 * entry points give (`xrayTracer`); the local stack and tests give none, so nothing is traced there.
 */
export function serviceTelemetry(serviceName: string, env: Environment, makeTracer?: TracerFactory): ServiceTelemetry {
  const namespace = new ServiceSettings(env).text('POWERTOOLS_METRICS_NAMESPACE', DEFAULT_METRICS_NAMESPACE);
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace, serviceName }),
    tracer: makeTracer?.(serviceName),
  };
}

/** Anything told of each SDK client made through it, as the adapters' `AwsConnection` is. */
export interface ClientObservingConnection {
  readonly onClient?: (client: never, service: never) => void;
}

/**
 * A connection whose every new SDK client is traced (each call a subsegment in X-Ray), then handed to the
 * connection's own observer as before. Typed by shape, so the lambda kit needs no adapter.
 */
export function tracedConnection<Connection extends ClientObservingConnection>(connection: Connection, tracer: Pick<ServiceTracer, 'captureAWSv3Client'> | undefined): Connection {
  if (tracer === undefined) return connection;
  const observe = connection.onClient as ((client: unknown, service: unknown) => void) | undefined;
  const onClient = (client: unknown, service: unknown): void => {
    tracer.captureAWSv3Client(client);
    observe?.(client, service);
  };
  return { ...connection, onClient };
}

/**
 * Wraps a handler for Lambda: the invocation's context (request id, function, cold start) on every log line, and
 * one traced subsegment per invocation with the cold-start and service annotations (when there is a tracer). Without
 * a context (the local stack and tests call handlers with the event alone) only the handler runs.
 */
export function lambdaHandler<Event, Result>(
  telemetry: Pick<ServiceTelemetry, 'logger' | 'tracer'>,
  handler: (event: Event) => Promise<Result>,
): (event: Event, context?: Context) => Promise<Result> {
  const run = async (event: Event, context?: Context): Promise<Result> => {
    if (context !== undefined) telemetry.logger.addContext(context);
    return handler(event);
  };
  // Powertools' own handler capture (subsegment `## <handler>`, annotations, errors as metadata), applied to a function.
  // Responses are not recorded: a batch's response names records, and traces are no place for data.
  if (telemetry.tracer === undefined) return run;
  const descriptor: TypedPropertyDescriptor<typeof run> = { value: run };
  telemetry.tracer.captureLambdaHandler({ captureResponse: false })(undefined as never, 'handler', descriptor as never);
  return descriptor.value ?? run;
}
