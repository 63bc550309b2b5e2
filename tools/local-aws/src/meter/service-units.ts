import type { EventBridgeBusUsage, KinesisStreamUsage, S3BucketUsage, SqsQueueUsage } from './meter-totals';

/**
 * The billing rules of Kinesis, S3, EventBridge and SQS, applied to one call's input and output. Each returns the
 * resource the call is about and what to add to its usage.
 */

type Input = Readonly<Record<string, unknown>>;
export type Charge<U> = { readonly resource: string; readonly usage: Partial<U> };

/** A Kinesis PUT payload unit is a 25 KB chunk of a record; on-demand ingestion rounds each record up to 1 KB. */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
export const ON_DEMAND_ROUNDING_BYTES = 1024;
/** EventBridge bills each 64 KB chunk of an entry as one event; SQS each 64 KB chunk of a payload as one request. */
export const EVENT_CHUNK_BYTES = 64 * 1024;
export const SQS_CHUNK_BYTES = 64 * 1024;

const utf8Bytes = (text: unknown): number => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);
const blobBytes = (blob: unknown): number =>
  blob instanceof Uint8Array ? blob.byteLength : typeof blob === 'string' ? Buffer.byteLength(blob, 'utf8') : 0;

/** The last path segment of an ARN or URL (`arn:…:stream/name` → `name`), or the string itself. */
const nameOf = (idOrArn: string): string => idOrArn.slice(idOrArn.lastIndexOf('/') + 1);

export const kinesisStreamOf = (input: Input): string | undefined =>
  typeof input['StreamName'] === 'string' ? input['StreamName']
    : typeof input['StreamARN'] === 'string' ? nameOf(input['StreamARN']) : undefined;

type KinesisRecord = { readonly Data?: unknown; readonly PartitionKey?: unknown };
/** A record's size as Kinesis counts it against its limits: data blob plus partition key. */
const recordBytes = (record: KinesisRecord): number => blobBytes(record.Data) + utf8Bytes(record.PartitionKey);

function acceptedRecords(records: readonly KinesisRecord[]): Partial<KinesisStreamUsage> {
  const sizes = records.map(recordBytes);
  return {
    records: records.length,
    bytes: sizes.reduce((sum, size) => sum + size, 0),
    putPayloadUnits: sizes.reduce((sum, size) => sum + Math.max(1, Math.ceil(size / PUT_PAYLOAD_UNIT_BYTES)), 0),
    onDemandBilledKb: sizes.reduce((sum, size) => sum + Math.max(1, Math.ceil(size / ON_DEMAND_ROUNDING_BYTES)), 0),
  };
}

/** PutRecord: one record, if Kinesis accepted it. */
export function kinesisPutRecord(input: Input, accepted: boolean): Partial<KinesisStreamUsage> {
  return accepted ? { putRequests: 1, ...acceptedRecords([input as KinesisRecord]) } : { putRequests: 1, failedRecords: 1 };
}

/** PutRecords: the entries whose result carries no ErrorCode; a call that failed as a whole accepted none. */
export function kinesisPutRecords(input: Input, output: Input | undefined): Partial<KinesisStreamUsage> {
  const records = (input['Records'] ?? []) as readonly KinesisRecord[];
  if (output === undefined) return { putRequests: 1, failedRecords: records.length };
  const results = (output['Records'] ?? []) as readonly { readonly ErrorCode?: string }[];
  const accepted = records.filter((_, i) => results[i] !== undefined && results[i]!.ErrorCode === undefined);
  return { putRequests: 1, ...acceptedRecords(accepted), failedRecords: records.length - accepted.length };
}

export function kinesisGetRecords(output: Input): Partial<KinesisStreamUsage> {
  const records = (output['Records'] ?? []) as readonly KinesisRecord[];
  return { getRecordsCalls: 1, recordsRead: records.length, bytesRead: records.reduce((sum, record) => sum + recordBytes(record), 0) };
}

/**
 * S3 request tiers: PUT, COPY, POST and LIST requests on one price, GET, SELECT and every other request on the
 * other; DELETE and cancel are free. By command name, since the SDK names commands after the REST action.
 */
export function s3RequestTier(command: string): 'put' | 'get' | 'free' {
  const action = command.replace(/Command$/, '');
  if (action.startsWith('Delete') || action === 'AbortMultipartUpload') return 'free';
  if (/^(Put|Copy|Create|Complete|List|UploadPart)/.test(action)) return 'put';
  return 'get';
}

/** The bytes a PutObject or UploadPart stores: its ContentLength, or the length of a body given whole. */
function bytesStored(input: Input): number | undefined {
  if (typeof input['ContentLength'] === 'number') return input['ContentLength'];
  const body = input['Body'];
  if (body instanceof Uint8Array || typeof body === 'string') return blobBytes(body);
  return undefined;
}

/** Throws nothing: a streamed body of unknown length is reported by the caller, not guessed. */
export function s3Charge(command: string, input: Input, output: Input | undefined): Charge<S3BucketUsage> & { readonly unknownBodyLength: boolean } {
  const resource = typeof input['Bucket'] === 'string' ? input['Bucket'] : '(account)';
  const tier = s3RequestTier(command);
  const usage: Partial<S3BucketUsage> = tier === 'put' ? { putClassRequests: 1 } : tier === 'get' ? { getClassRequests: 1 } : { freeRequests: 1 };
  let unknownBodyLength = false;
  if (output !== undefined && (command === 'PutObjectCommand' || command === 'UploadPartCommand')) {
    const stored = bytesStored(input);
    if (stored === undefined) unknownBodyLength = true;
    else usage.bytesPut = stored;
  }
  if (output !== undefined && command === 'GetObjectCommand' && typeof output['ContentLength'] === 'number') usage.bytesRead = output['ContentLength'];
  return { resource, usage, unknownBodyLength };
}

type PutEventsEntry = {
  readonly Time?: unknown; readonly Source?: unknown; readonly DetailType?: unknown; readonly Detail?: unknown;
  readonly Resources?: readonly unknown[]; readonly EventBusName?: unknown;
};

/** An entry's size as EventBridge counts it: Time 14 bytes if given, Source, DetailType, Detail and each Resource in UTF-8. */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  return (entry.Time !== undefined ? 14 : 0) + utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail) +
    (entry.Resources ?? []).reduce<number>((sum, resource) => sum + utf8Bytes(resource), 0);
}

export const eventBusOf = (busNameOrArn: unknown): string => (typeof busNameOrArn === 'string' ? nameOf(busNameOrArn) : 'default');

/** PutEvents, per bus: accepted entries in 64 KB chunks; an entry whose result has an ErrorCode was not published. */
export function putEventsCharges(input: Input, output: Input | undefined): Charge<EventBridgeBusUsage>[] {
  const entries = (input['Entries'] ?? []) as readonly PutEventsEntry[];
  const results = (output?.['Entries'] ?? []) as readonly { readonly ErrorCode?: string }[];
  const perBus = new Map<string, Required<Pick<EventBridgeBusUsage, 'putEventsCalls' | 'entries' | 'eventUnits' | 'failedEntries'>>>();
  entries.forEach((entry, i) => {
    const bus = eventBusOf(entry.EventBusName);
    const usage = perBus.get(bus) ?? { putEventsCalls: 1, entries: 0, eventUnits: 0, failedEntries: 0 };
    const accepted = output !== undefined && results[i] !== undefined && results[i]!.ErrorCode === undefined;
    if (accepted) {
      usage.entries += 1;
      usage.eventUnits += Math.max(1, Math.ceil(putEventsEntrySize(entry) / EVENT_CHUNK_BYTES));
    } else {
      usage.failedEntries += 1;
    }
    perBus.set(bus, usage);
  });
  return [...perBus].map(([resource, usage]) => ({ resource, usage }));
}

type SqsAttributes = Readonly<Record<string, { readonly DataType?: unknown; readonly StringValue?: unknown; readonly BinaryValue?: unknown }>>;
type SqsMessage = { readonly MessageBody?: unknown; readonly Body?: unknown; readonly MessageAttributes?: SqsAttributes };

/** A message's payload: body plus each attribute's name, type and value. */
function sqsMessageBytes(message: SqsMessage): number {
  const attributes = Object.entries(message.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes(value.DataType) + utf8Bytes(value.StringValue) + blobBytes(value.BinaryValue), 0,
  );
  return utf8Bytes(message.MessageBody ?? message.Body) + attributes;
}

export const sqsQueueOf = (input: Input): string =>
  typeof input['QueueUrl'] === 'string' ? nameOf(input['QueueUrl'])
    : typeof input['QueueName'] === 'string' ? input['QueueName'] : '(account)';

/** Every SQS action is a request; a call's payload (sent or received) is billed in 64 KB chunks, at least one. */
export function sqsCharge(command: string, input: Input, output: Input | undefined): Charge<SqsQueueUsage> {
  let payload = 0;
  let messagesSent = 0;
  let messagesReceived = 0;
  if (command === 'SendMessageCommand') {
    payload = sqsMessageBytes(input as SqsMessage);
    messagesSent = output === undefined ? 0 : 1;
  } else if (command === 'SendMessageBatchCommand') {
    const entries = (input['Entries'] ?? []) as readonly SqsMessage[];
    payload = entries.reduce((sum, entry) => sum + sqsMessageBytes(entry), 0);
    messagesSent = output === undefined ? 0 : ((output['Successful'] ?? []) as readonly unknown[]).length;
  } else if (command === 'ReceiveMessageCommand' && output !== undefined) {
    const messages = (output['Messages'] ?? []) as readonly SqsMessage[];
    payload = messages.reduce((sum, message) => sum + sqsMessageBytes(message), 0);
    messagesReceived = messages.length;
  }
  return {
    resource: sqsQueueOf(input),
    usage: { requests: 1, requestUnits: Math.max(1, Math.ceil(payload / SQS_CHUNK_BYTES)), messagesSent, messagesReceived },
  };
}
