import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastSequenceFunctions, type KinesaliteSequenceFunctions } from './kinesalite-fast-sequences';

const require = createRequire(import.meta.url);
// A fresh copy of kinesalite's db module: the emulator host patches the cached one in its own process only.
const kinesaliteDb = require('kinesalite/db') as KinesaliteSequenceFunctions;
const original: KinesaliteSequenceFunctions = {
  parseSequence: kinesaliteDb.parseSequence,
  stringifySequence: kinesaliteDb.stringifySequence,
  incrementSequence: kinesaliteDb.incrementSequence,
  partitionKeyToHashKey: kinesaliteDb.partitionKeyToHashKey,
  shardIxToHex: kinesaliteDb.shardIxToHex,
};
const fast = fastSequenceFunctions(original);

/** The outcome of a call, errors included, so a thrown error must match too. */
function outcome<T>(call: () => T): { value: T } | { error: string } {
  try {
    return { value: call() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const sequenceParts = fc.record({
  shardCreateTime: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  shardIx: fc.integer({ min: 0, max: 100_000 }),
  seqIx: fc.oneof(fc.nat({ max: 2 ** 40 }), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String)),
  seqTime: fc.option(fc.integer({ min: 0, max: 4_000_000_000_000 }), { nil: undefined }),
  byte1: fc.option(fc.constantFrom('00', '01', 'ff'), { nil: undefined }),
});

describe('kinesalite sequence arithmetic on BigInt', () => {
  it('formats the sequence numbers kinesalite formats', () => {
    fc.assert(fc.property(sequenceParts, (parts) => {
      expect(fast.stringifySequence(parts)).toBe(original.stringifySequence(parts));
    }), { numRuns: 2_000 });
  });

  it('parses the sequence numbers it writes into the same parts', () => {
    fc.assert(fc.property(sequenceParts, (parts) => {
      const sequence = original.stringifySequence(parts);
      expect(outcome(() => fast.parseSequence(sequence))).toEqual(outcome(() => original.parseSequence(sequence)));
    }), { numRuns: 2_000 });
  });

  it('increments as kinesalite does, from parts or from a string, with or without a time', () => {
    fc.assert(fc.property(sequenceParts, fc.option(fc.integer({ min: 1, max: 4_000_000_000_000 }), { nil: null }), (parts, seqTime) => {
      const sequence = original.stringifySequence(parts);
      expect(fast.incrementSequence(sequence, seqTime)).toBe(original.incrementSequence(sequence, seqTime));
      expect(fast.incrementSequence(original.parseSequence(sequence), seqTime)).toBe(original.incrementSequence(original.parseSequence(sequence), seqTime));
    }), { numRuns: 1_000 });
  });

  it('answers malformed and foreign sequence numbers as kinesalite does (same parts or same error)', () => {
    const samples = ['', 'abc', '-5', '1.5', '1e40', '0', '12345', '49590338271490256608559692538361571095921575989136588898',
      (2n ** 124n).toString(), (2n ** 185n + 1n).toString(), ((2n ** 185n) * 3n / 2n).toString(), (2n ** 200n).toString()];
    for (const sample of samples) {
      expect(outcome(() => fast.parseSequence(sample)), sample).toEqual(outcome(() => original.parseSequence(sample)));
    }
    fc.assert(fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 190n }).map(String), fc.string()), (sample) => {
      expect(outcome(() => fast.parseSequence(sample))).toEqual(outcome(() => original.parseSequence(sample)));
    }), { numRuns: 2_000 });
  });

  it('hands parts it does not format exactly (other versions, odd values) to kinesalite', () => {
    for (const parts of [
      { shardCreateTime: 1_000_000, shardIx: 3, version: 1, seqTime: 2_000_000 },
      { shardCreateTime: 1_000_000, shardIx: 3, version: 0 },
      { shardCreateTime: 1_000_000, shardIx: -1, seqIx: 2 },
      { shardCreateTime: 1_000_000, shardIx: 2, seqIx: '' },
      { shardCreateTime: 1_000_000, shardIx: 2, seqIx: 1.5 },
      { shardIx: 2 },
    ]) {
      expect(outcome(() => fast.stringifySequence(parts)), JSON.stringify(parts)).toEqual(outcome(() => original.stringifySequence(parts)));
    }
  });

  it('puts every partition key in the shard kinesalite would, at range edges too', () => {
    const bounds = (shards: number): string[] => {
      const width = (2n ** 128n) / BigInt(shards);
      return Array.from({ length: shards }, (_, i) => [(width * BigInt(i)).toString(), (i === shards - 1 ? 2n ** 128n - 1n : width * BigInt(i + 1) - 1n).toString()]).flat();
    };
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (partitionKey, shards) => {
      const slow = original.partitionKeyToHashKey(partitionKey);
      const quick = fast.partitionKeyToHashKey(partitionKey);
      for (const bound of bounds(shards)) expect(quick.comparedTo(bound)).toBe(slow.comparedTo(bound));
      // The key's own value: equal to itself, one more and one less around it.
      const own = BigInt('0x' + (slow as unknown as { toString(base: number): string }).toString(16));
      for (const near of [own - 1n, own, own + 1n]) expect(quick.comparedTo(near.toString())).toBe(slow.comparedTo(near.toString()));
      expect(quick.comparedTo(0)).toBe(slow.comparedTo(0));
    }), { numRuns: 1_000 });
  });
});
