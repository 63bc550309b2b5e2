import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { EventSourceMappingLog, KinesisEventSourceMappingOptions } from './event-source-mapping.options';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store';
import { KinesisEventSourceMapping } from './kinesis-event-source-mapping';
import { createLocalKinesisClient } from './local-kinesis-client';

export interface LocalKinesis {
  endpoint: string;
  kinesis: KinesisClient;
  close(): Promise<void>;
}

/** kinesalite in this process, in memory, on a free port, with a client that can talk to it. */
export async function startKinesalite(): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const kinesis = createLocalKinesisClient(endpoint);
  return {
    endpoint,
    kinesis,
    close: async () => {
      kinesis.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Polls until fn returns a value other than undefined or false; fails at the deadline. */
export async function eventually<T>(fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function createStream(kinesis: KinesisClient, streamName: string, shardCount: number): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  return eventually(async () => {
    const out = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' && out.StreamDescriptionSummary.StreamARN;
  }, 10_000, `stream ${streamName} to be ACTIVE`);
}

export interface PutEntry {
  partitionKey: string;
  data: string | Uint8Array;
}

export interface PutResult {
  sequenceNumber: string;
  shardId: string;
  partitionKey: string;
}

/** PutRecords in calls of 500 (the API limit); kinesalite never rejects single entries, so any failure throws. */
export async function putRecords(kinesis: KinesisClient, streamName: string, entries: readonly PutEntry[]): Promise<PutResult[]> {
  const results: PutResult[] = [];
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    const out = await kinesis.send(new PutRecordsCommand({
      StreamName: streamName,
      Records: chunk.map((entry) => ({
        PartitionKey: entry.partitionKey,
        Data: typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data,
      })),
    }));
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
    out.Records?.forEach((record, index) => results.push({
      sequenceNumber: record.SequenceNumber ?? '', shardId: record.ShardId ?? '', partitionKey: chunk[index]?.partitionKey ?? '',
    }));
  }
  return results;
}

/** What a mapping test file shares: one kinesalite, fresh streams, mappings stopped and temp folders removed after each test. */
export interface MappingHarness {
  /** The file's kinesalite (filled in before the first test). */
  readonly local: LocalKinesis;
  /** Every log line of the mappings of the current test. */
  readonly logs: { level: string; message: string }[];
  readonly log: EventSourceMappingLog;
  /** Mappings, clients and folders to dispose of after the current test. */
  readonly mappings: KinesisEventSourceMapping[];
  readonly clients: KinesisClient[];
  readonly dirs: string[];
  newStream(shardCount?: number): Promise<{ name: string; arn: string }>;
  /** A started mapping with fast test timings, stopped after the test; `options` override any default. */
  startMapping(options: Partial<KinesisEventSourceMappingOptions> & Pick<KinesisEventSourceMappingOptions, 'streamName'>): KinesisEventSourceMapping;
}

/** Registers the hooks of a mapping test file and returns its harness. */
export function useMappingHarness(functionName: string, streamPrefix: string): MappingHarness {
  const local = {} as LocalKinesis;
  const mappings: KinesisEventSourceMapping[] = [];
  const logs: { level: string; message: string }[] = [];
  const clients: KinesisClient[] = [];
  const dirs: string[] = [];
  let streams = 0;

  beforeAll(async () => {
    Object.assign(local, await startKinesalite());
  });
  afterEach(async () => {
    await Promise.all(mappings.splice(0).map((mapping) => mapping.stop()));
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    logs.length = 0;
  });
  afterAll(async () => {
    await local.close?.();
  });

  const log: EventSourceMappingLog = (level, message) => logs.push({ level, message });
  return {
    local, logs, mappings, clients, dirs, log,
    newStream: async (shardCount = 1) => {
      const name = `${streamPrefix}-${++streams}`;
      return { name, arn: await createStream(local.kinesis, name, shardCount) };
    },
    startMapping: (options) => {
      const mapping = new KinesisEventSourceMapping({
        kinesis: local.kinesis,
        functionName,
        handler: async () => undefined,
        checkpointStore: new InMemoryCheckpointStore(),
        startingPosition: 'TRIM_HORIZON',
        pollIntervalMs: 10,
        maxBackoffMs: 20,
        shardDiscoveryIntervalMs: 100,
        log,
        ...options,
      });
      mappings.push(mapping);
      mapping.start();
      return mapping;
    },
  };
}
