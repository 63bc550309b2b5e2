import type { SdkClient } from '@wildrydes/adapters/clients';
import { dynamoDbCharges, ItemSizeHistory } from './dynamodb-units';
import { MeterInputError } from './meter.errors';
import {
  emptyDynamoDbTableUsage, emptyEventBridgeBusUsage, emptyKinesisStreamUsage, emptyLambdaFunctionUsage, emptyS3BucketUsage,
  emptyServiceUsage, emptySqsQueueUsage, formatMeterTotals, type MeterTotals, type ResourceKind, type ServiceUsage,
} from './meter-totals';
import {
  eventBusOf, kinesisGetRecords, kinesisPutRecord, kinesisPutRecords, kinesisStreamOf, putEventsCharges, s3Charge, sqsCharge,
} from './service-units';

type Input = Readonly<Record<string, unknown>>;

/** What every SDK v3 client shares, as the adapters' `AwsConnection.onClient` hook hands it over. */
export type MeterableClient = Pick<SdkClient, 'middlewareStack'>;

/** The slice of the smithy middleware stack the meter uses (the SDK's own types are per client). */
interface HandlerContext { readonly clientName?: string; readonly commandName?: string }
type Handler = (args: { readonly input: Input }) => Promise<{ readonly output: unknown }>;
type Middleware = (next: Handler, context: HandlerContext) => Handler;
interface MiddlewareAdder {
  add(middleware: Middleware, options: { step: 'initialize' | 'build'; priority: 'high'; name: string; override: true }): void;
}

type Outcome = { readonly output: Input } | { readonly error: unknown };

const OBSERVER = 'wildrydesBillingMeter';
const WIRE_INPUT = 'wildrydesBillingMeterWireInput';
/** Distinct reasons kept for unmetered calls; the count goes on past it. */
const MAX_REASONS = 10;
/** Shard iterators remembered to name the stream of a GetRecords call (which carries only the iterator). */
const MAX_ITERATORS = 10_000;

/** True when the service answered (it bills such calls); false for a call that never reached it. */
const answered = (error: unknown): boolean =>
  typeof (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode === 'number';

/**
 * Counts, per service label and per resource, the units AWS would bill for the calls made through the SDK v3
 * clients it is attached to, and for the Lambda invocations reported to it. See README.md for every rule.
 *
 * ```ts
 * const meter = new BillingMeter();
 * const connection = awsConnection(endpoints, (client) => meter.attach(client, 'health'));
 * // ... run ...
 * console.log(meter.formatTotals());
 * ```
 */
export class BillingMeter {
  private services = new Map<string, ServiceUsage>();
  private unmetered = { calls: 0, reasons: [] as string[] };
  private readonly sizes = new ItemSizeHistory();
  private readonly shardIterators = new Map<string, string>();
  /** Each call's input as it goes on the wire (after the document client marshalled it), keyed by the call's context. */
  private readonly wireInputs = new WeakMap<object, Input>();

  /**
   * Meters every call the client makes from now on, under `serviceLabel`. Two middlewares: one at the start of
   * `initialize` sees the command, its result or error; one at the start of `build` sees the marshalled input.
   * A DynamoDB document client shares its DynamoDB client's stack, so attaching either meters both. Attaching a
   * client again replaces its label.
   */
  attach(client: MeterableClient, serviceLabel: string): void {
    const stack = client.middlewareStack as unknown as MiddlewareAdder;
    stack.add((next, context) => async (args) => {
      let result: { readonly output: unknown };
      try {
        result = await next(args);
      } catch (error) {
        this.observe(serviceLabel, context, args.input, { error });
        throw error;
      }
      this.observe(serviceLabel, context, args.input, { output: (result.output ?? {}) as Input });
      return result;
    }, { step: 'initialize', priority: 'high', name: OBSERVER, override: true });
    stack.add((next, context) => async (args) => {
      this.wireInputs.set(context, args.input);
      return next(args);
    }, { step: 'build', priority: 'high', name: WIRE_INPUT, override: true });
  }

  /** A Lambda invocation, as the local runner reports it: billed per request and per GB-second (duration rounded up to 1 ms). */
  recordInvocation(functionName: string, durationMs: number, memoryMb: number, serviceLabel = 'lambda'): void {
    if (functionName === '') throw new MeterInputError('an invocation needs a function name');
    if (!Number.isFinite(durationMs) || durationMs < 0) throw new MeterInputError(`invocation of ${functionName}: duration ${durationMs} ms is not a duration`);
    if (!Number.isFinite(memoryMb) || memoryMb <= 0) throw new MeterInputError(`invocation of ${functionName}: memory ${memoryMb} MB is not a memory size`);
    const billedMs = Math.max(1, Math.ceil(durationMs));
    const usage = this.resource(serviceLabel, 'lambda', functionName, emptyLambdaFunctionUsage);
    usage.invocations += 1;
    usage.billedDurationMs += billedMs;
    usage.gbSeconds += (memoryMb / 1024) * (billedMs / 1000);
  }

  /** The totals so far, as plain data (a copy: later calls do not change it). */
  snapshot(): MeterTotals {
    return structuredClone({ services: Object.fromEntries(this.services), unmetered: this.unmetered });
  }

  /** The totals as a compact table. */
  formatTotals(): string {
    return formatMeterTotals(this.snapshot());
  }

  reset(): void {
    this.services = new Map();
    this.unmetered = { calls: 0, reasons: [] };
    this.sizes.clear();
    this.shardIterators.clear();
  }

  /** Never throws: a call the meter cannot price is counted as unmetered, with the reason, and the caller's call is untouched. */
  private observe(label: string, context: HandlerContext, input: Input, outcome: Outcome): void {
    const client = context.clientName ?? 'an unknown client';
    const command = context.commandName ?? 'an unknown command';
    try {
      if ('error' in outcome && !answered(outcome.error)) return;
      const wireInput = this.wireInputs.get(context) ?? input;
      switch (client) {
        case 'DynamoDBClient': return this.meterDynamoDb(label, command, input, wireInput, outcome);
        case 'KinesisClient': return this.meterKinesis(label, command, wireInput, outcome);
        case 'S3Client': return this.meterS3(label, command, wireInput, outcome);
        case 'EventBridgeClient': return this.meterEventBridge(label, command, wireInput, outcome);
        case 'SQSClient': return this.meterSqs(label, command, wireInput, outcome);
        default: return this.unmeteredCall(`${client} is not metered`);
      }
    } catch (error) {
      this.unmeteredCall(`${client} ${command}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private meterDynamoDb(label: string, command: string, input: Input, wireInput: Input, outcome: Outcome): void {
    // The document client marshals inside the stack: a different input on the wire means its output comes back unmarshalled.
    const form = wireInput === input ? 'marshalled' as const : 'native' as const;
    const result = 'error' in outcome ? { error: outcome.error as { name?: string } } : { output: outcome.output, form };
    for (const { table, usage } of dynamoDbCharges(command, wireInput, result, this.sizes)) {
      add(this.resource(label, 'dynamodb', table, emptyDynamoDbTableUsage), usage);
    }
  }

  private meterKinesis(label: string, command: string, input: Input, outcome: Outcome): void {
    const output = 'output' in outcome ? outcome.output : undefined;
    const named = kinesisStreamOf(input);
    const usageOf = (stream: string) => this.resource(label, 'kinesis', stream, emptyKinesisStreamUsage);
    switch (command) {
      case 'PutRecordCommand':
        return add(usageOf(named ?? '(unknown stream)'), kinesisPutRecord(input, output !== undefined));
      case 'PutRecordsCommand':
        return add(usageOf(named ?? '(unknown stream)'), kinesisPutRecords(input, output));
      case 'GetRecordsCommand': {
        const iterator = input['ShardIterator'] as string;
        const stream = named ?? this.shardIterators.get(iterator) ?? '(unknown stream)';
        this.shardIterators.delete(iterator);
        if (typeof output?.['NextShardIterator'] === 'string') this.rememberIterator(output['NextShardIterator'], stream);
        return add(usageOf(stream), output === undefined ? { getRecordsCalls: 1 } : kinesisGetRecords(output));
      }
      default:
        if (command === 'GetShardIteratorCommand' && named !== undefined && typeof output?.['ShardIterator'] === 'string') {
          this.rememberIterator(output['ShardIterator'], named);
        }
        if (named !== undefined) add(usageOf(named), { otherRequests: 1 });
    }
  }

  private rememberIterator(iterator: string, stream: string): void {
    if (this.shardIterators.size >= MAX_ITERATORS) this.shardIterators.delete(this.shardIterators.keys().next().value as string);
    this.shardIterators.set(iterator, stream);
  }

  private meterS3(label: string, command: string, input: Input, outcome: Outcome): void {
    const { resource, usage, unknownBodyLength } = s3Charge(command, input, 'output' in outcome ? outcome.output : undefined);
    add(this.resource(label, 's3', resource, emptyS3BucketUsage), usage);
    if (unknownBodyLength) this.unmeteredCall(`S3Client ${command}: a streamed body without ContentLength, bytes not counted`);
  }

  private meterEventBridge(label: string, command: string, input: Input, outcome: Outcome): void {
    if (command === 'PutEventsCommand') {
      for (const { resource, usage } of putEventsCharges(input, 'output' in outcome ? outcome.output : undefined)) {
        add(this.resource(label, 'eventbridge', resource, emptyEventBridgeBusUsage), usage);
      }
    } else if (typeof input['EventBusName'] === 'string') {
      add(this.resource(label, 'eventbridge', eventBusOf(input['EventBusName']), emptyEventBridgeBusUsage), { otherRequests: 1 });
    }
  }

  private meterSqs(label: string, command: string, input: Input, outcome: Outcome): void {
    const { resource, usage } = sqsCharge(command, input, 'output' in outcome ? outcome.output : undefined);
    add(this.resource(label, 'sqs', resource, emptySqsQueueUsage), usage);
  }

  private unmeteredCall(reason: string): void {
    this.unmetered.calls += 1;
    if (this.unmetered.reasons.length < MAX_REASONS && !this.unmetered.reasons.includes(reason)) this.unmetered.reasons.push(reason);
  }

  /**
   * Meters a GetRecords call made without an SDK client (the local mappings read kinesalite directly): the units the
   * attached path would have counted, from the answer's record count and bytes (data plus partition keys).
   */
  recordGetRecords(serviceLabel: string, streamName: string, answer: { readonly records: number; readonly bytes: number }): void {
    add(this.resource(serviceLabel, 'kinesis', streamName, emptyKinesisStreamUsage), { getRecordsCalls: 1, recordsRead: answer.records, bytesRead: answer.bytes });
  }

  private resource<K extends ResourceKind>(label: string, kind: K, name: string, empty: () => ServiceUsage[K][string]): ServiceUsage[K][string] {
    let service = this.services.get(label);
    if (service === undefined) {
      service = emptyServiceUsage();
      this.services.set(label, service);
    }
    const resources = service[kind] as Record<string, ServiceUsage[K][string]>;
    return (resources[name] ??= empty());
  }
}

/** Adds each counter of `delta` to `target`. */
function add<T extends object>(target: T, delta: Partial<T>): void {
  const counters = target as Record<string, number>;
  for (const [key, value] of Object.entries(delta)) {
    if (typeof value === 'number') counters[key] = (counters[key] ?? 0) + value;
  }
}
