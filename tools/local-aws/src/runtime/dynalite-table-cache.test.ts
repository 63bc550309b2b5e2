import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheTableDescriptions, installTableCache, type DynaliteDbModule, type DynaliteSubDb } from './dynalite-table-cache';

const requireCjs = createRequire(import.meta.url);
// A table's transitions (CREATING, UPDATING, DELETING) last this long, and the steps after one wait three times it:
// both servers must answer each step in the same state, on a loaded machine too (at 20 ms, CI once saw one of them
// already ACTIVE where the other was still CREATING).
const TRANSITION_MS = 300;
const SETTLED_MS = 3 * TRANSITION_MS;
const OPTIONS = { createTableMs: TRANSITION_MS, deleteTableMs: TRANSITION_MS, updateTableMs: TRANSITION_MS };

interface Emulator { server: Server; client: DynamoDBClient }
let cached: Emulator;
let plain: Emulator;

async function serve(server: Server): Promise<Emulator> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, client: new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) };
}

beforeAll(async () => {
  // One dynalite whose store keeps its table descriptions, one as shipped; dynalite's db module is patched only
  // while the first is made.
  const dbModule = requireCjs('dynalite/db') as DynaliteDbModule;
  const create = dbModule.create;
  installTableCache(dbModule);
  try {
    cached = await serve(dynalite(OPTIONS));
  } finally {
    dbModule.create = create;
  }
  plain = await serve(dynalite(OPTIONS));
});

afterAll(async () => {
  for (const emulator of [cached, plain]) {
    emulator?.client.destroy();
    await new Promise((resolve) => emulator?.server.close(resolve));
  }
});

/** What a call answers, error included, without what differs between two servers anyway (times, table ids). */
async function answer(client: DynamoDBClient, command: unknown): Promise<unknown> {
  try {
    const { $metadata: _metadata, ...output } = (await client.send(command as never)) as unknown as Record<string, unknown>;
    return JSON.parse(JSON.stringify(output, (key, value: unknown) => (/DateTime$|Timestamp$|^TableId$/.test(key) ? '<differs>' : value)));
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('dynalite with its table descriptions kept in memory', () => {
  it('answers as dynalite does through a table\'s whole life: created, written, updated, deleted, created again', async () => {
    const steps: { command: unknown; waitMs?: number }[] = [
      { command: new DescribeTableCommand({ TableName: 'Herd' }) },
      { command: new CreateTableCommand({ TableName: 'Herd', KeySchema: [{ AttributeName: 'Name', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Name', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }) },
      // While CREATING, the data plane does not find it.
      { command: new PutItemCommand({ TableName: 'Herd', Item: { Name: { S: 'Shadowfax' } } }), waitMs: SETTLED_MS },
      { command: new DescribeTableCommand({ TableName: 'Herd' }) },
      { command: new PutItemCommand({ TableName: 'Herd', Item: { Name: { S: 'Shadowfax' }, Version: { N: '1' } }, ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'Name' } }) },
      { command: new PutItemCommand({ TableName: 'Herd', Item: { Name: { S: 'Shadowfax' }, Version: { N: '2' } }, ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'Name' } }) },
      { command: new GetItemCommand({ TableName: 'Herd', Key: { Name: { S: 'Shadowfax' } } }) },
      { command: new UpdateTableCommand({ TableName: 'Herd', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }) },
      { command: new DescribeTableCommand({ TableName: 'Herd' }), waitMs: SETTLED_MS },
      { command: new DescribeTableCommand({ TableName: 'Herd' }) },
      { command: new ListTablesCommand({}) },
      { command: new DeleteTableCommand({ TableName: 'Herd' }) },
      { command: new GetItemCommand({ TableName: 'Herd', Key: { Name: { S: 'Shadowfax' } } }), waitMs: SETTLED_MS },
      { command: new DescribeTableCommand({ TableName: 'Herd' }) },
      { command: new CreateTableCommand({ TableName: 'Herd', KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' }), waitMs: SETTLED_MS },
      // The old key no longer fits the table: the new description is the one used.
      { command: new PutItemCommand({ TableName: 'Herd', Item: { Name: { S: 'Shadowfax' } } }) },
      { command: new PutItemCommand({ TableName: 'Herd', Item: { Id: { N: '7' } } }) },
      { command: new DescribeTableCommand({ TableName: 'Herd' }) },
    ];
    for (const [i, step] of steps.entries()) {
      const [fromCache, fromLevelDb] = await Promise.all([answer(cached.client, step.command), answer(plain.client, step.command)]);
      expect({ step: i, answer: fromCache }).toEqual({ step: i, answer: fromLevelDb });
      if (step.waitMs !== undefined) await pause(step.waitMs);
    }
  });
});

/** A table store whose reads and writes finish when the test says, counting the reads that reach it. */
function fakeTableDb(): DynaliteSubDb & { reads: number; stored: Map<string, unknown>; finish: () => void } {
  const queued: (() => void)[] = [];
  const db = {
    reads: 0,
    stored: new Map<string, unknown>(),
    finish: () => { for (const run of queued.splice(0)) run(); },
    get: (key: string, callback: (error: unknown, value?: unknown) => void) => {
      db.reads += 1;
      queued.push(() => callback(null, structuredClone(db.stored.get(key))));
    },
    put: (key: string, value: unknown, callback: (error: unknown) => void) => queued.push(() => { db.stored.set(key, structuredClone(value)); callback(null); }),
    del: (key: string, callback: (error: unknown) => void) => queued.push(() => { db.stored.delete(key); callback(null); }),
    batch: (_operations: unknown[], callback: (error: unknown) => void) => queued.push(() => callback(null)),
  };
  return db;
}

const read = (db: DynaliteSubDb, key: string): Promise<unknown> => new Promise((resolve, reject) => db.get(key, (error, value) => (error ? reject(error as Error) : resolve(value))));

describe('cacheTableDescriptions', () => {
  it('reads a description once, hands out copies, and reads again after any write', async () => {
    const db = fakeTableDb();
    db.stored.set('Herd', { TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'Name' }] });
    cacheTableDescriptions(db);

    const first = read(db, 'Herd');
    db.finish();
    const one = await first as { TableStatus: string };
    const two = await read(db, 'Herd') as { TableStatus: string };
    two.TableStatus = 'DELETING';
    expect(await read(db, 'Herd')).toEqual({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'Name' }] });
    expect(one).toEqual({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'Name' }] });
    expect(db.reads).toBe(1);

    db.put('Herd', { TableStatus: 'UPDATING' }, () => undefined);
    db.finish();
    const afterWrite = read(db, 'Herd');
    db.finish();
    expect(await afterWrite).toEqual({ TableStatus: 'UPDATING' });
    expect(db.reads).toBe(2);
  });

  it('does not keep a read that was under way while a write was', async () => {
    const db = fakeTableDb();
    db.stored.set('Herd', { TableStatus: 'ACTIVE' });
    cacheTableDescriptions(db);

    const during = read(db, 'Herd');
    db.del('Herd', () => undefined);
    db.finish();
    await during;
    const after = read(db, 'Herd');
    db.finish();

    expect(await after).toBeUndefined();
    expect(db.reads).toBe(2);
  });
});
