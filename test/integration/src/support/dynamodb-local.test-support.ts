import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '@wildrydes/domain';
import { afterAll, beforeAll } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';

/** Every port 0, so tests never collide with a running `npm run local` or with each other. */
const ANY_FREE_PORTS = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } as const;

/**
 * A document client on the local runtime's dynalite that counts the commands it sends and can run one
 * action just before its next PutItem (or, with interleaveBeforeNextWrite, its next PutItem or UpdateItem) — a
 * competing writer landing between a store's read and its write.
 */
export interface ProbedDocumentClient {
  readonly documentClient: DynamoDBDocumentClient;
  /** Commands sent, by name (`PutItemCommand`, `BatchGetItemCommand`, …), failed ones included. */
  readonly sent: Map<string, number>;
  interleaveBeforeNextPut(action: () => Promise<unknown> | unknown): void;
  /** Like interleaveBeforeNextPut, for the next PutItem or UpdateItem, whichever comes first. */
  interleaveBeforeNextWrite(action: () => Promise<unknown> | unknown): void;
  destroy(): void;
}

export interface LocalDynamoDb {
  /** A table with a unique name and the key schema of UnicornSensorData or UnicornHealth. */
  createTable(schema: keyof typeof TABLE_KEYS): Promise<string>;
  probedClient(): ProbedDocumentClient;
}

let tableCounter = 0;

/** Starts the local runtime before the suite's tests and stops it after them. */
export function useLocalDynamoDb(): LocalDynamoDb {
  let runtime: LocalRuntime | undefined;
  let admin: DynamoDBClient | undefined;
  const clients: ProbedDocumentClient[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS });
    admin = dynamoDbClient(runtime);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    admin?.destroy();
    await runtime?.stop();
  });

  return {
    async createTable(schema) {
      const keys: { partitionKey: string; sortKey?: string } = TABLE_KEYS[schema];
      const TableName = `${schema}-${process.pid}-${++tableCounter}`;
      const input: CreateTableCommandInput = {
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: keys.partitionKey, AttributeType: 'S' },
          ...(keys.sortKey ? [{ AttributeName: keys.sortKey, AttributeType: 'S' as const }] : []),
        ],
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          ...(keys.sortKey ? [{ AttributeName: keys.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
      };
      // dynalite is started with createTableMs 0: the table is ACTIVE when the call returns.
      await (admin as DynamoDBClient).send(new CreateTableCommand(input));
      return TableName;
    },
    probedClient() {
      const client = probedClient(dynamoDbClient(runtime as LocalRuntime));
      clients.push(client);
      return client;
    },
  };
}

function dynamoDbClient(runtime: LocalRuntime): DynamoDBClient {
  return new DynamoDBClient({
    region: runtime.endpoints.region,
    endpoint: runtime.endpoints.dynamodb,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

function probedClient(client: DynamoDBClient): ProbedDocumentClient {
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const sent = new Map<string, number>();
  let interleaved: (() => Promise<unknown> | unknown) | undefined;
  let interleavedCommands: readonly string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      if (interleaved !== undefined && interleavedCommands.includes(command)) {
        const action = interleaved;
        interleaved = undefined;
        await action();
      }
      sent.set(command, (sent.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'contractProbe' },
  );
  return {
    documentClient,
    sent,
    interleaveBeforeNextPut: (action) => {
      interleaved = action;
      interleavedCommands = ['PutItemCommand'];
    },
    interleaveBeforeNextWrite: (action) => {
      interleaved = action;
      interleavedCommands = ['PutItemCommand', 'UpdateItemCommand'];
    },
    destroy: () => {
      documentClient.destroy();
      client.destroy();
    },
  };
}
