import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { Reading } from '@wildrydes/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KinesisMinuteClosedSource, KinesisReadingSource } from './kinesis-sources';

const kinesis = mockClient(KinesisClient);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const record = (sequence: string, text: string) => ({ SequenceNumber: sequence, PartitionKey: 'p', Data: encode(text), ApproximateArrivalTimestamp: new Date() });
const quick = { pollIntervalMs: 1, restartAfterMs: 1 };
const SHARD = { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' }, SequenceNumberRange: { StartingSequenceNumber: '0' } };

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(done()).toBe(true);
}

describe('the Kinesis live sources', () => {
  beforeEach(() => {
    kinesis.reset();
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
  });

  it('delivers the readings of each record from LATEST, leaving what the decoder rejects to the services', async () => {
    // Prepare: one shard; a record with two readings (NDJSON), then a poison record.
    kinesis.on(ListShardsCommand).resolves({ Shards: [SHARD] });
    kinesis.on(GetRecordsCommand)
      .resolvesOnce({ NextShardIterator: 'it2', MillisBehindLatest: 0, Records: [
        record('1', '{"Name":"Pegasus","StatusTime":"2026-11-22 10:00:00.000","Latitude":40.7,"Longitude":-73.9,"Distance":30,"MagicPoints":150,"HealthPoints":150}\n'
          + '{"Name":"Epona","StatusTime":"2026-11-22 10:00:00.500","Latitude":40.7,"Longitude":-73.9,"Distance":29.5,"MagicPoints":140,"HealthPoints":130}'),
        record('2', 'not json'),
      ] })
      .resolves({ NextShardIterator: 'it3', MillisBehindLatest: 0, Records: [] });
    const delivered: Reading[][] = [];
    // Act
    const stop = await new KinesisReadingSource(new KinesisClient({ region: 'us-east-1' }), 'wildrydes', quick).start((r) => delivered.push([...r]), (e) => { throw e; });
    await until(() => delivered.length >= 1);
    await stop();
    // Assess
    expect(delivered).toEqual([[expect.objectContaining({ name: 'Pegasus', distance: 30 }), expect.objectContaining({ name: 'Epona', healthPoints: 130 })]]);
    expect(kinesis.commandCalls(GetShardIteratorCommand)[0]!.args[0].input).toMatchObject({ StreamName: 'wildrydes', ShardIteratorType: 'LATEST' });
  });

  it('reports a failed read and starts reading again', async () => {
    const throttled = Object.assign(new Error('Rate exceeded for shard'), { name: 'ProvisionedThroughputExceededException' });
    kinesis.on(ListShardsCommand).rejectsOnce(throttled).resolves({ Shards: [SHARD] });
    kinesis.on(GetRecordsCommand).resolves({ NextShardIterator: 'it', MillisBehindLatest: 0, Records: [record('1', '{"Name":"Pegasus","MaxHealthPoints":150}\n{"Name":"Epona"}')] });
    const errors: string[] = [];
    const names: string[] = [];

    const stop = await new KinesisMinuteClosedSource(new KinesisClient({ region: 'us-east-1' }), 'wildrydes-summary', quick).start((n) => names.push(...n), (e) => errors.push((e as Error).name));
    await until(() => names.length >= 2);
    await stop();

    expect(errors).toEqual(['ProvisionedThroughputExceededException']);
    expect(names.slice(0, 2)).toEqual(['Pegasus', 'Epona']);
  });
});
