import { describe, expect, it } from 'vitest';
import type { ShardActivity } from '@wildrydes/domain';

export interface ShardActivityUnderTest {
  readonly activity: ShardActivity;
  /** Two shards of one fresh stream, both empty. */
  readonly shardIds: readonly [string, string];
  /** Puts one record on the shard; resolves with the time the stream says it arrived (epoch ms). */
  put(shardId: string): Promise<number>;
}

/** A fresh, empty two-shard stream per call. */
export type ShardActivityFactory = () => Promise<ShardActivityUnderTest>;

/** What the silence scan relies on when it asks whether a shard that looks idle really had no traffic. */
export function describeShardActivityContract(name: string, factory: ShardActivityFactory): void {
  describe(`ShardActivity contract: ${name}`, () => {
    it('says an empty shard had no traffic, since any time', async () => {
      // Prepare
      const subject = await factory();

      // Act
      const answers = [await subject.activity.arrivedSince(subject.shardIds[0], 0), await subject.activity.arrivedSince(subject.shardIds[0], Date.now() - 60_000)];

      // Assess
      expect(answers).toEqual([false, false]);
    });

    it('counts a record that arrived at or after the time asked about, and none before it', async () => {
      // Prepare
      const subject = await factory();
      const [shard] = subject.shardIds;
      const arrived = await subject.put(shard);

      // Act
      const before = await subject.activity.arrivedSince(shard, arrived - 5_000);
      const at = await subject.activity.arrivedSince(shard, arrived);
      const after = await subject.activity.arrivedSince(shard, arrived + 1);

      // Assess
      expect({ before, at, after }).toEqual({ before: true, at: true, after: false });
    });

    it('finds the newest of many records when the older ones are before the time asked about', async () => {
      // Prepare
      const subject = await factory();
      const [shard] = subject.shardIds;
      let newest = 0;
      for (let i = 0; i < 5; i++) newest = await subject.put(shard);

      // Act
      const sinceNewest = await subject.activity.arrivedSince(shard, newest);
      const afterNewest = await subject.activity.arrivedSince(shard, newest + 1);

      // Assess
      expect({ sinceNewest, afterNewest }).toEqual({ sinceNewest: true, afterNewest: false });
    });

    it("keeps shards apart: one shard's traffic says nothing about the other", async () => {
      // Prepare
      const subject = await factory();
      const [busy, quiet] = subject.shardIds;
      const arrived = await subject.put(busy);

      // Act
      const answer = await subject.activity.arrivedSince(quiet, arrived - 5_000);

      // Assess
      expect(answer).toBe(false);
    });

    it('refuses a shard the stream does not have instead of calling it idle', async () => {
      // Prepare
      const subject = await factory();

      // Act
      const asking = subject.activity.arrivedSince('shardId-000000000999', 0);

      // Assess
      await expect(asking).rejects.toThrow();
    });
  });
}
