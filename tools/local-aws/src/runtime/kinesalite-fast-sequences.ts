/**
 * kinesalite's sequence-number and hash-key arithmetic, on BigInt instead of bignumber.js, with the same results.
 *
 * kinesalite parses the sequence number of every record it reads (GetRecords) and formats one for every record it
 * writes (PutRecords), each time through bignumber.js's arbitrary-precision decimal conversion; it also turns every
 * partition key's MD5 into a BigNumber and compares it with each shard's range, parsing the range's decimal string
 * anew each time. Profiled under `npm start` with 2,000 unicorns, bignumber.js took over a third of the emulator
 * host's CPU, and the host was what capped the readings per second the producer could put. The replacements here
 * produce byte-identical sequence numbers and shard choices (`kinesalite-fast-sequences.test.ts` compares them with
 * kinesalite's own functions over generated inputs); any input they do not handle exactly is passed to the original.
 */
import { createHash } from 'node:crypto';

export interface SequenceParts {
  shardCreateTime: number;
  shardIx: number;
  version: number;
  seqIx?: string | number;
  seqTime?: number;
  byte1?: string;
  seqRand?: string;
}

/** The part of kinesalite's `db` module replaced here. */
export interface KinesaliteSequenceFunctions {
  parseSequence(seq: string): SequenceParts;
  stringifySequence(parts: Partial<SequenceParts>): string;
  incrementSequence(parts: SequenceParts | string, seqTime?: number | null): string;
  partitionKeyToHashKey(partitionKey: string): { comparedTo(other: unknown): number };
  shardIxToHex(shardIx: number): string;
}

const POW_2_124 = 1n << 124n;
const POW_2_124_NEXT = (1n << 125n) * 16n;
const POW_2_185 = 1n << 185n;
const POW_2_185_NEXT = (1n << 185n) * 3n / 2n;
const DECIMAL_INTEGER = /^\d+$/;
const HEX = /^[0-9a-f]+$/;
const MAX_SHARD_CREATE_SECS = 16025175000;

const hexField = (value: number, width: number): string => ('0'.repeat(width) + value.toString(16)).slice(-width);

/** Builds the replacements; `original` answers every input they leave alone. */
export function fastSequenceFunctions(original: KinesaliteSequenceFunctions): Pick<KinesaliteSequenceFunctions, 'parseSequence' | 'stringifySequence' | 'incrementSequence' | 'partitionKeyToHashKey'> {
  const parseSequence = (seq: string): SequenceParts => {
    if (typeof seq !== 'string' || !DECIMAL_INTEGER.test(seq)) return original.parseSequence(seq);
    let seqNum = BigInt(seq);
    if (seqNum < POW_2_124) seqNum += POW_2_124;
    const hex = seqNum.toString(16);
    const version = seqNum < POW_2_124_NEXT ? 0 : seqNum > POW_2_185 && seqNum < POW_2_185_NEXT ? parseInt(hex.slice(hex.length - 1), 16) : null;
    if (version === 2) {
      const seqIxHex = hex.slice(11, 27);
      let shardIxHex = hex.slice(38, 46);
      if (parseInt(seqIxHex[0] ?? '', 16) > 7) throw new Error('Sequence index too high');
      if (parseInt(shardIxHex[0] ?? '', 16) > 7) shardIxHex = '-' + shardIxHex;
      const shardCreateSecs = parseInt(hex.slice(1, 10), 16);
      if (shardCreateSecs >= MAX_SHARD_CREATE_SECS) throw new Error('Date too large: ' + shardCreateSecs);
      return {
        shardCreateTime: shardCreateSecs * 1000,
        seqIx: BigInt('0x' + seqIxHex).toString(),
        byte1: hex.slice(27, 29),
        seqTime: parseInt(hex.slice(29, 38), 16) * 1000,
        shardIx: parseInt(shardIxHex, 16),
        version,
      };
    }
    // Versions 0 and 1 (and unknown ones) are never written by kinesalite 3: the original handles them.
    return original.parseSequence(seq);
  };

  const stringifySequence = (parts: Partial<SequenceParts>): string => {
    if (parts.version != null && parts.version !== 2) return original.stringifySequence(parts);
    const seqIx = parts.seqIx ?? 0;
    if (!(typeof seqIx === 'number' ? Number.isSafeInteger(seqIx) && seqIx >= 0 : DECIMAL_INTEGER.test(seqIx))) return original.stringifySequence(parts);
    const shardIx = parts.shardIx ?? 0;
    const shardCreateTime = parts.shardCreateTime ?? NaN;
    const seqTime = parts.seqTime || shardCreateTime;
    if (!Number.isFinite(shardCreateTime) || !Number.isFinite(seqTime) || shardCreateTime < 0 || seqTime < 0) return original.stringifySequence(parts);
    const hex = [
      '2',
      hexField(Math.floor(shardCreateTime / 1000), 9),
      (shardIx || 0).toString(16).slice(-1),
      ('0000000000000000' + BigInt(seqIx).toString(16)).slice(-16),
      parts.byte1 || '00',
      hexField(Math.floor(seqTime / 1000), 9),
      original.shardIxToHex(shardIx),
      '2',
    ].join('');
    if (!HEX.test(hex)) return original.stringifySequence(parts);
    return BigInt('0x' + hex).toString();
  };

  const incrementSequence = (parts: SequenceParts | string, seqTime?: number | null): string => {
    const seqObj = typeof parts === 'string' ? parseSequence(parts) : parts;
    return stringifySequence({
      shardCreateTime: seqObj.shardCreateTime,
      seqIx: seqObj.seqIx,
      seqTime: seqTime || (seqObj.seqTime ?? NaN) + 1000,
      shardIx: seqObj.shardIx,
    });
  };

  // Shard hash-key ranges are decimal strings, the same few for the life of a stream.
  const rangeBounds = new Map<string, bigint>();
  const boundOf = (value: string): bigint => {
    let bound = rangeBounds.get(value);
    if (bound === undefined) {
      bound = BigInt(value);
      if (rangeBounds.size > 10_000) rangeBounds.clear();
      rangeBounds.set(value, bound);
    }
    return bound;
  };
  const partitionKeyToHashKey = (partitionKey: string): { comparedTo(other: unknown): number } => {
    const key = BigInt('0x' + createHash('md5').update(partitionKey, 'utf8').digest('hex'));
    return {
      comparedTo(other: unknown): number {
        if (typeof other !== 'string' || !DECIMAL_INTEGER.test(other)) return original.partitionKeyToHashKey(partitionKey).comparedTo(other);
        const bound = boundOf(other);
        return key < bound ? -1 : key > bound ? 1 : 0;
      },
    };
  };
  return { parseSequence, stringifySequence, incrementSequence, partitionKeyToHashKey };
}

/** Replaces the functions on kinesalite's `db` module object, which its actions call through at each use. */
export function installFastSequences(db: KinesaliteSequenceFunctions): void {
  const original: KinesaliteSequenceFunctions = {
    parseSequence: db.parseSequence,
    stringifySequence: db.stringifySequence,
    incrementSequence: db.incrementSequence,
    partitionKeyToHashKey: db.partitionKeyToHashKey,
    shardIxToHex: db.shardIxToHex,
  };
  Object.assign(db, fastSequenceFunctions(original));
}
