import { createRequire } from 'node:module';
import type kinesaliteFactory from 'kinesalite';
import { installFastSequences, type KinesaliteSequenceFunctions } from './kinesalite-fast-sequences';
import { readCachedActions, type KinesaliteActions, type KinesaliteDbFunctions } from './kinesalite-read-cache';

const require = createRequire(import.meta.url);

type Callback = (error: unknown, data?: unknown) => void;
type GetShardIterator = (store: KinesaliteStore, data: GetShardIteratorInput, cb: Callback) => void;
interface GetShardIteratorInput { StreamName: string; ShardId: string; ShardIteratorType: string; Timestamp?: number; [member: string]: unknown }
interface StoredRecord { value: { ApproximateArrivalTimestamp: number } }
interface KinesaliteStore {
  getStreamDb(name: string): { createReadStream(range: { gt: string; lt: string }): NodeJS.ReadableStream & { destroy(): void } };
}
interface KinesaliteDb {
  resolveShardId(shardId: string): { shardIx: number };
  shardIxToHex(shardIx: number): string;
}

/**
 * kinesalite 3.3.3 with GetShardIterator AT_TIMESTAMP fixed. Its action looks for the shard's first record that
 * arrived at or after the timestamp and answers only when it finds one: when none did, the request never gets an
 * answer and the SDK call hangs. Kinesis answers with an iterator at the shard's tip, which is what the silence
 * scan's "did anything arrive since?" needs (and `consumer --from <time>` on a quiet stream). The action is
 * replaced in the module cache before kinesalite loads its actions, so this must load kinesalite itself. It also
 * swaps kinesalite's bignumber.js sequence arithmetic for BigInt (`kinesalite-fast-sequences.ts`) and serves
 * GetRecords of recent records from memory (`kinesalite-read-cache.ts`).
 */
export function loadKinesalite(): typeof kinesaliteFactory {
  const actionPath = require.resolve('kinesalite/actions/getShardIterator');
  const original = require(actionPath) as GetShardIterator;
  const db = require('kinesalite/db') as KinesaliteDb;
  const fixed: GetShardIterator = (store, data, cb) => {
    // Other types, bad shard ids and future timestamps: the original answers them (errors included) correctly.
    if (data.ShardIteratorType !== 'AT_TIMESTAMP' || typeof data.Timestamp !== 'number' || data.Timestamp * 1000 > Date.now()) return original(store, data, cb);
    let shardIx: number;
    try {
      shardIx = db.resolveShardId(data.ShardId).shardIx;
    } catch {
      return original(store, data, cb);
    }
    const timestamp = data.Timestamp;
    let answered = false;
    const records = store.getStreamDb(data.StreamName).createReadStream({ gt: db.shardIxToHex(shardIx), lt: db.shardIxToHex(shardIx + 1) });
    records.on('data', (record: StoredRecord) => {
      if (answered || record.value.ApproximateArrivalTimestamp < timestamp) return;
      answered = true;
      records.destroy();
      original(store, data, cb);
    });
    records.on('error', (error: unknown) => {
      if (answered) return;
      answered = true;
      cb(error);
    });
    records.on('end', () => {
      if (answered) return;
      answered = true;
      const { Timestamp: _unused, ...rest } = data;
      original(store, { ...rest, ShardIteratorType: 'LATEST' }, cb);
    });
  };
  replaceAction('getShardIterator', fixed);
  installFastSequences(require('kinesalite/db') as KinesaliteSequenceFunctions);
  const actionNames = ['getRecords', 'putRecord', 'putRecords', 'createStream', 'deleteStream'] as const;
  const originals = Object.fromEntries(actionNames.map((name) => [name, require(`kinesalite/actions/${name}`)])) as unknown as KinesaliteActions;
  const cachedActions = readCachedActions(originals, require('kinesalite/db') as KinesaliteDbFunctions);
  for (const name of actionNames) replaceAction(name, cachedActions[name]);
  return require('kinesalite') as typeof kinesaliteFactory;
}

function replaceAction(name: string, action: unknown): void {
  const actionPath = require.resolve(`kinesalite/actions/${name}`);
  require(actionPath);
  const cached = require.cache[actionPath];
  if (cached === undefined) throw new Error(`kinesalite's ${name} action (${actionPath}) is not in the module cache`);
  cached.exports = action;
}
