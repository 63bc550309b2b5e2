import { dynamoDbItemSize } from '@wildrydes/adapters/dynamodb';
import { MeterInputError } from './meter.errors';
import type { DynamoDbTableUsage } from './meter-totals';

/**
 * DynamoDB's billing rules (developer guide, "DynamoDB read and write operations"), applied to one call seen on the
 * wire: the marshalled request and the response, which is marshalled for low-level commands and native (already
 * unmarshalled) for document-client commands.
 */

/** One write request unit covers 1 KB of item; one read request unit 4 KB of strongly consistent read. */
export const WRITE_UNIT_BYTES = 1024;
export const READ_UNIT_BYTES = 4096;

export type ItemForm = 'marshalled' | 'native';

/** An AttributeValue as the low-level client sends and receives it. */
export interface WireValue {
  readonly S?: string;
  readonly N?: string;
  readonly B?: Uint8Array;
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly Uint8Array[];
  readonly L?: readonly WireValue[];
  readonly M?: WireItem;
}
export type WireItem = Readonly<Record<string, WireValue>>;
type Item = Readonly<Record<string, unknown>>;

/** Units of a write of an item of `size` bytes: at least one. */
export const writeUnits = (size: number): number => Math.max(1, Math.ceil(size / WRITE_UNIT_BYTES));

/** Units of a read of `size` bytes: at least one, halved when eventually consistent. */
export const readUnits = (size: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(size / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5);

/** The attribute's value as the document client would give it, so `dynamoDbItemSize` can size it. */
function nativeValue(value: WireValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.B !== undefined) return value.B;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.BS !== undefined) return new Set(value.BS);
  if (value.L !== undefined) return value.L.map(nativeValue);
  if (value.M !== undefined) return nativeItem(value.M);
  throw new MeterInputError(`not a DynamoDB AttributeValue: ${JSON.stringify(Object.keys(value))}`);
}

export function nativeItem(item: WireItem): Record<string, unknown> {
  const native: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) native[name] = nativeValue(value);
  return native;
}

/** The size DynamoDB bills an item at (attribute names plus values), whichever form it is in. */
export const itemSize = (item: Item, form: ItemForm): number =>
  dynamoDbItemSize(form === 'marshalled' ? nativeItem(item as WireItem) : item);

/**
 * The average size of the items seen per table. It stands in for sizes a call does not show: the item an
 * UpdateItem or DeleteItem touches, and the items a Query or Scan read but did not return (filtered or projected).
 */
export class ItemSizeHistory {
  private readonly seen = new Map<string, { bytes: number; items: number }>();

  observe(table: string, size: number): void {
    const entry = this.seen.get(table) ?? { bytes: 0, items: 0 };
    entry.bytes += size;
    entry.items += 1;
    this.seen.set(table, entry);
  }

  average(table: string): number | undefined {
    const entry = this.seen.get(table);
    return entry === undefined ? undefined : entry.bytes / entry.items;
  }

  clear(): void {
    this.seen.clear();
  }
}

export type DynamoDbCharge = { readonly table: string; readonly usage: Partial<DynamoDbTableUsage> };

/** What a call returned: its output (in `form`), or the error DynamoDB answered with. */
export type DynamoDbOutcome =
  | { readonly output: Readonly<Record<string, unknown>>; readonly form: ItemForm }
  | { readonly error: { readonly name?: string } };

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
/** Billed, but not metered here: their units are not worked out (see README). */
const UNMETERED = new Set(['TransactWriteItemsCommand', 'TransactGetItemsCommand', 'ExecuteStatementCommand', 'BatchExecuteStatementCommand', 'ExecuteTransactionCommand']);

/**
 * The charges of one DynamoDB call DynamoDB answered, per table. Throws `MeterInputError` for a billed command the
 * meter does not work out (transactions, PartiQL).
 */
export function dynamoDbCharges(command: string, input: Item, outcome: DynamoDbOutcome, sizes: ItemSizeHistory): DynamoDbCharge[] {
  if (UNMETERED.has(command)) throw new MeterInputError(`DynamoDB ${command.replace(/Command$/, '')} is not metered`);
  if ('error' in outcome) {
    const table = input['TableName'];
    if (typeof table === 'string' && WRITES.has(command) && outcome.error.name === 'ConditionalCheckFailedException') {
      const { units, estimated } = singleWrite(command, input, undefined, sizes);
      return [{ table, usage: { requests: 1, writeRequestUnits: units, conditionalCheckFailedWriteUnits: units, estimatedRequestUnits: estimated ? units : 0 } }];
    }
    return tablesOf(input).map((name) => ({ table: name, usage: { requests: 1 } }));
  }
  const { output, form } = outcome;
  switch (command) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand': {
      const table = input['TableName'] as string;
      const { units, estimated } = singleWrite(command, input, { output, form }, sizes);
      return [{ table, usage: { requests: 1, writeRequestUnits: units, itemsWritten: 1, estimatedRequestUnits: estimated ? units : 0 } }];
    }
    case 'BatchWriteItemCommand':
      return batchWrite(input, output, form, sizes);
    case 'GetItemCommand':
      return [getItem(input, output, form, sizes)];
    case 'QueryCommand':
    case 'ScanCommand':
      return [queryOrScan(input, output, form, sizes)];
    case 'BatchGetItemCommand':
      return batchGet(input, output, form, sizes);
    default:
      // Control plane (CreateTable, DescribeTable, ...): free; counted as a request on the table it names.
      return tablesOf(input).map((table) => ({ table, usage: { requests: 1 } }));
  }
}

function tablesOf(input: Item): string[] {
  if (typeof input['TableName'] === 'string') return [input['TableName']];
  const requestItems = input['RequestItems'];
  return typeof requestItems === 'object' && requestItems !== null ? Object.keys(requestItems) : [];
}

/**
 * The units of a PutItem, UpdateItem or DeleteItem. DynamoDB bills the larger of the item before and after the
 * write; a call shows at most one of them (see README for what is estimated).
 */
function singleWrite(
  command: string, input: Item, result: { output: Item; form: ItemForm } | undefined, sizes: ItemSizeHistory,
): { units: number; estimated: boolean } {
  const table = input['TableName'] as string;
  const returned = result?.output['Attributes'] as Item | undefined;
  const returnedSize = returned === undefined || result === undefined ? undefined : itemSize(returned, result.form);
  const fullItemReturned = returnedSize !== undefined && (input['ReturnValues'] === 'ALL_NEW' || input['ReturnValues'] === 'ALL_OLD');
  if (command === 'PutItemCommand') {
    const size = itemSize(input['Item'] as WireItem, 'marshalled');
    if (result !== undefined) sizes.observe(table, size);
    return { units: writeUnits(Math.max(size, fullItemReturned ? returnedSize : 0)), estimated: false };
  }
  if (fullItemReturned) {
    sizes.observe(table, returnedSize);
    return { units: writeUnits(returnedSize), estimated: false };
  }
  // What the request itself shows: the key, plus for an update the values it sets. The item may be larger.
  const key = itemSize(input['Key'] as WireItem, 'marshalled');
  const values = command === 'UpdateItemCommand' ? expressionValuesSize(input) : 0;
  const average = sizes.average(table);
  return { units: writeUnits(Math.max(key + values, average ?? 0)), estimated: true };
}

function expressionValuesSize(input: Item): number {
  const values = (input['ExpressionAttributeValues'] ?? {}) as WireItem;
  const names = (input['ExpressionAttributeNames'] ?? {}) as Readonly<Record<string, string>>;
  // Sized as an item whose attribute names are the placeholders, then the placeholders swapped for the real names.
  const placeholders = Object.keys(values).reduce((sum, name) => sum + Buffer.byteLength(name, 'utf8'), 0);
  const realNames = Object.values(names).reduce((sum, name) => sum + Buffer.byteLength(name, 'utf8'), 0);
  return itemSize(values, 'marshalled') - placeholders + realNames;
}

type WriteRequest = { readonly PutRequest?: { readonly Item: Item }; readonly DeleteRequest?: { readonly Key: Item } };

function batchWrite(input: Item, output: Item, form: ItemForm, sizes: ItemSizeHistory): DynamoDbCharge[] {
  const requested = input['RequestItems'] as Readonly<Record<string, readonly WriteRequest[]>>;
  const unprocessed = (output['UnprocessedItems'] ?? {}) as Readonly<Record<string, readonly WriteRequest[]>>;
  return Object.entries(requested).map(([table, requests]) => {
    const average = sizes.average(table);
    const unitsOf = (request: WriteRequest, requestForm: ItemForm): { units: number; estimated: boolean } => {
      if (request.PutRequest !== undefined) return { units: writeUnits(itemSize(request.PutRequest.Item, requestForm)), estimated: false };
      const key = itemSize(request.DeleteRequest!.Key, requestForm);
      return { units: writeUnits(Math.max(key, average ?? 0)), estimated: true };
    };
    const sum = (list: readonly WriteRequest[], listForm: ItemForm) => list.map((r) => unitsOf(r, listForm)).reduce(
      (total, { units, estimated }) => ({ units: total.units + units, estimated: total.estimated + (estimated ? units : 0) }),
      { units: 0, estimated: 0 },
    );
    const all = sum(requests, 'marshalled');
    const handedBack = unprocessed[table] ?? [];
    const notWritten = sum(handedBack, form);
    for (const request of requests) {
      if (request.PutRequest !== undefined) sizes.observe(table, itemSize(request.PutRequest.Item, 'marshalled'));
    }
    return {
      table,
      usage: {
        requests: 1,
        writeRequestUnits: all.units - notWritten.units,
        estimatedRequestUnits: all.estimated - notWritten.estimated,
        itemsWritten: requests.length - handedBack.length,
        unprocessedItems: handedBack.length,
      },
    };
  });
}

/** A projection returns part of each item, but DynamoDB bills the whole item read. */
const isProjected = (input: Item): boolean =>
  input['ProjectionExpression'] !== undefined || input['AttributesToGet'] !== undefined ||
  input['Select'] === 'SPECIFIC_ATTRIBUTES' || input['Select'] === 'COUNT';

function getItem(input: Item, output: Item, form: ItemForm, sizes: ItemSizeHistory): DynamoDbCharge {
  const table = input['TableName'] as string;
  const consistent = input['ConsistentRead'] === true;
  const item = output['Item'] as Item | undefined;
  if (item === undefined) return { table, usage: { requests: 1, readRequestUnits: readUnits(0, consistent) } };
  const size = itemSize(item, form);
  const average = sizes.average(table);
  const projected = isProjected(input);
  if (!projected) sizes.observe(table, size);
  const billedSize = projected ? Math.max(size, average ?? 0) : size;
  const units = readUnits(billedSize, consistent);
  return { table, usage: { requests: 1, readRequestUnits: units, itemsRead: 1, estimatedRequestUnits: projected ? units : 0 } };
}

/**
 * A Query or Scan is billed on the items it read, summed, then rounded up to 4 KB once per call. Items read but
 * not returned (a FilterExpression drops them after the read) and projected items are sized at the table's average.
 */
function queryOrScan(input: Item, output: Item, form: ItemForm, sizes: ItemSizeHistory): DynamoDbCharge {
  const table = input['TableName'] as string;
  const consistent = input['ConsistentRead'] === true;
  const items = (output['Items'] ?? []) as readonly Item[];
  const count = typeof output['Count'] === 'number' ? output['Count'] : items.length;
  const scanned = typeof output['ScannedCount'] === 'number' ? output['ScannedCount'] : count;
  const average = sizes.average(table);
  const returnedSizes = items.map((item) => itemSize(item, form));
  const returned = returnedSizes.reduce((sum, size) => sum + size, 0);
  let bytes: number;
  let estimated: boolean;
  if (isProjected(input)) {
    bytes = Math.max(returned, scanned * (average ?? 0));
    estimated = scanned > 0;
  } else {
    for (const size of returnedSizes) sizes.observe(table, size);
    const unseen = Math.max(0, scanned - items.length);
    const perUnseen = average ?? (items.length > 0 ? returned / items.length : 0);
    bytes = returned + unseen * perUnseen;
    estimated = unseen > 0;
  }
  const units = readUnits(bytes, consistent);
  return { table, usage: { requests: 1, readRequestUnits: units, itemsRead: count, estimatedRequestUnits: estimated ? units : 0 } };
}

type KeysAndAttributes = { readonly Keys: readonly Item[]; readonly ConsistentRead?: boolean } & Item;

/** BatchGetItem is billed like one GetItem per key: each item rounded up on its own; a key not found still costs a unit. */
function batchGet(input: Item, output: Item, form: ItemForm, sizes: ItemSizeHistory): DynamoDbCharge[] {
  const requested = input['RequestItems'] as Readonly<Record<string, KeysAndAttributes>>;
  const responses = (output['Responses'] ?? {}) as Readonly<Record<string, readonly Item[]>>;
  const unprocessed = (output['UnprocessedKeys'] ?? {}) as Readonly<Record<string, KeysAndAttributes | undefined>>;
  return Object.entries(requested).map(([table, request]) => {
    const consistent = request.ConsistentRead === true;
    const found = responses[table] ?? [];
    const processed = request.Keys.length - (unprocessed[table]?.Keys.length ?? 0);
    const missing = Math.max(0, processed - found.length);
    const projected = isProjected(request);
    const average = sizes.average(table);
    let units = missing * readUnits(0, consistent);
    for (const item of found) {
      const size = itemSize(item, form);
      if (!projected) sizes.observe(table, size);
      units += readUnits(projected ? Math.max(size, average ?? 0) : size, consistent);
    }
    const estimated = projected ? units - missing * readUnits(0, consistent) : 0;
    return { table, usage: { requests: 1, readRequestUnits: units, itemsRead: found.length, estimatedRequestUnits: estimated } };
  });
}
