import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
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
