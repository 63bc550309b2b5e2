import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { KinesisTumblingWindowEvent } from './event-source-mapping.options';
import { FileCheckpointStore } from './file-checkpoint-store';
import { eventually, putRecords, useMappingHarness, type PutEntry } from './kinesalite.test-support';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { local, logs, dirs, newStream, startMapping } = useMappingHarness('replayed', 'replay-test');
const DRAIN = { timeoutMs: 30_000 };

const sequenceNumbersOf = (event: KinesisStreamEvent): string[] => event.Records.map((record) => record.kinesis.sequenceNumber);
const entries = (count: number): PutEntry[] => Array.from({ length: count }, (_, i) => ({ partitionKey: `unicorn-${i % 3}`, data: `{"i":${i}}` }));

describe('the replay mode of the event-source-mapping runner', () => {
  it('delivers every batch twice, the second answer counting', async () => {
    // Prepare
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(12));
    const deliveries: string[][] = [];

    // Act
    const mapping = startMapping({
      streamName: name, batchSize: 5, replayChaos: { seed: 1 },
      handler: async (event: KinesisStreamEvent) => void deliveries.push(sequenceNumbersOf(event)),
    });
    await mapping.drain(DRAIN);

    // Assess: 3 batches, each twice in a row
    expect(deliveries).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) expect(deliveries[i + 1]).toEqual(deliveries[i]);
    expect(deliveries.filter((_, i) => i % 2 === 0).flat()).toEqual(puts.map((p) => p.sequenceNumber));
    expect(mapping.replayChaosCounts()).toMatchObject({ invocations: 3, redeliveries: 3, forcedBisects: 0, crashes: 0 });
  });

  it('bisects at random: batches answered as failed are delivered again in halves, every record reaching the end', async () => {
    // Prepare
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(64));
    const delivered = new Set<string>();
    let largest = 0;

    // Act
    const mapping = startMapping({
      streamName: name, batchSize: 16, bisectBatchOnFunctionError: true, maximumRetryAttempts: 100,
      replayChaos: { seed: 7, redeliverEveryBatch: false, bisectShare: 0.4 },
      handler: async (event: KinesisStreamEvent) => {
        sequenceNumbersOf(event).forEach((s) => delivered.add(s));
        largest = Math.max(largest, event.Records.length);
      },
    });
    await mapping.drain(DRAIN);

    // Assess
    const counts = mapping.replayChaosCounts();
    expect(counts.forcedBisects).toBeGreaterThan(0);
    expect(counts.invocations).toBeGreaterThan(4);
    expect([...delivered].sort()).toEqual(puts.map((p) => p.sequenceNumber).sort());
    expect(logs.some((line) => line.message === 'function failed')).toBe(true);
  });

  it('crashes invocations mid-batch and restarts from the checkpoint: nothing skipped, the checkpoint at the end', async () => {
    // Prepare
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(60));
    const dir = await mkdtemp(join(tmpdir(), 'replay-checkpoints-'));
    dirs.push(dir);
    const checkpointStore = new FileCheckpointStore(dir);
    const completed = new Set<string>();

    // Act: a handler that takes a few ms per record, so a crash lands in the middle of a batch
    const mapping = startMapping({
      streamName: name, batchSize: 10, checkpointStore,
      replayChaos: { seed: 3, redeliverEveryBatch: false, crashShare: 0.3, crashWithinMs: 10 },
      handler: async (event: KinesisStreamEvent) => {
        for (const sequenceNumber of sequenceNumbersOf(event)) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          completed.add(sequenceNumber);
        }
      },
    });
    await mapping.drain(DRAIN);

    // Assess
    expect(mapping.replayChaosCounts().crashes).toBeGreaterThan(0);
    expect(logs.some((line) => line.message.startsWith('replay mode: invocation abandoned'))).toBe(true);
    expect([...completed].sort()).toEqual(puts.map((p) => p.sequenceNumber).sort());
    const shardId = 'shardId-000000000000';
    await expect(checkpointStore.load(name, 'replayed', shardId)).resolves.toMatchObject({ sequenceNumber: puts[puts.length - 1]!.sequenceNumber });
  });

  it('restores a tumbling window\'s state from the checkpoint after a crash, so the window closes with every record once', async () => {
    // Prepare
    const { name } = await newStream();
    const puts = await putRecords(local.kinesis, name, entries(40));
    const closed: string[][] = [];

    // Act: the state is the set of records seen; the final invocation reports it
    const mapping = startMapping({
      streamName: name, batchSize: 4, tumblingWindowInSeconds: 1,
      replayChaos: { seed: 11, crashShare: 0.25, bisectShare: 0.2 }, bisectBatchOnFunctionError: true,
      handler: async (event: KinesisTumblingWindowEvent) => {
        const seen = new Set((event.state['seen'] as string[] | undefined) ?? []);
        sequenceNumbersOf(event).forEach((s) => seen.add(s));
        if (event.isFinalInvokeForWindow) closed.push([...seen]);
        return { state: { seen: [...seen] } };
      },
    });
    await mapping.drain(DRAIN);
    const all = puts.map((p) => p.sequenceNumber).sort();
    // A window closes once a read after its end finds the shard idle: up to a second after the drain.
    await eventually(() => new Set(closed.flat()).size === all.length, 10_000, 'the windows to close');

    // Assess: the windows closed (some twice: final invocations are redelivered too) hold every record, none twice within a window
    const counts = mapping.replayChaosCounts();
    expect(counts.crashes + counts.forcedBisects).toBeGreaterThan(0);
    const union = new Set(closed.flat());
    expect([...union].sort()).toEqual(all);
    for (const window of closed) expect(new Set(window).size).toBe(window.length);
  });

  it('refuses shares outside 0 to 1', async () => {
    const { name } = await newStream();
    expect(() => startMapping({ streamName: name, replayChaos: { seed: 1, crashShare: 1.5 } })).toThrow('replayChaos shares must be from 0 to 1');
  });
});
