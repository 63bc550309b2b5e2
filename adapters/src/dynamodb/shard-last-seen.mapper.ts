import { gunzipSync, gzipSync } from 'node:zlib';
import type { ShardLastSeen, StoredShardLastSeen, UnstoredHealth } from '@wildrydes/domain';
import { DynamoDbInvalidItemError } from './dynamodb.errors';

/**
 * A shard's last-seen record lives in `UnicornHealth` beside the unicorns, under a key no unicorn can have: names
 * with control characters are refused by the reading decoder, and this key starts with U+0001.
 */
export const SHARD_RECORD_KEY_PREFIX = '\u0001shard/';
export const SHARD_RECORD_KIND = 'ShardLastSeen';

export const shardRecordKey = (shardId: string): string => `${SHARD_RECORD_KEY_PREFIX}${shardId}`;
export const isShardRecordKey = (name: string): boolean => name.startsWith(SHARD_RECORD_KEY_PREFIX);

/**
 * The record as one item: `name<TAB>ms before the watermark` lines, gzipped into one binary attribute. Names of a
 * fleet share most of their letters, so it takes a few bytes per unicorn: ~5 KB for 1,000 unicorns (5 WRU a save),
 * and a shard of 50,000 stays far below DynamoDB's 400 KB item limit. Unicorns without a stored state yet add a
 * `name<TAB>latitude<TAB>longitude<TAB>magic<TAB>health` line each to a second gzipped attribute, `Unstored`
 * (~17 bytes a unicorn: full-precision coordinates), absent when there are none; each batch of the health handler writes a few of them away.
 */
export function toShardItem(record: ShardLastSeen, version: number): Record<string, unknown> {
  const lines = [...record.lastSeen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, time]) => `${name}\t${record.watermark - time}`);
  return {
    Name: shardRecordKey(record.shardId),
    Kind: SHARD_RECORD_KIND,
    ShardId: record.shardId,
    Watermark: record.watermark,
    SavedAt: record.savedAt,
    ...(record.arrivedUntil === undefined ? {} : { ArrivedUntil: record.arrivedUntil }),
    Unicorns: record.lastSeen.size,
    LastSeen: gzipSync(Buffer.from(lines.join('\n'), 'utf8')),
    ...(record.unstored === undefined || record.unstored.size === 0 ? {} : { Unstored: encodeUnstored(record.unstored, record.lastSeen) }),
    Version: version,
  };
}

export function fromShardItem(tableName: string, item: Record<string, unknown>): StoredShardLastSeen {
  const invalid = (why: string): DynamoDbInvalidItemError => new DynamoDbInvalidItemError(tableName, `shard record ${String(item['ShardId'])} ${why}`);
  const { ShardId, Watermark, SavedAt, Version, LastSeen, ArrivedUntil, Unstored } = item;
  if (typeof ShardId !== 'string') throw invalid('has no ShardId');
  if (typeof Watermark !== 'number' || typeof SavedAt !== 'number' || typeof Version !== 'number') throw invalid('has no numeric Watermark, SavedAt or Version');
  if (!(LastSeen instanceof Uint8Array)) throw invalid('has no binary LastSeen');
  if (ArrivedUntil !== undefined && typeof ArrivedUntil !== 'number') throw invalid('has a non-numeric ArrivedUntil');
  if (Unstored !== undefined && !(Unstored instanceof Uint8Array)) throw invalid('has a non-binary Unstored');
  const lastSeen = new Map<string, number>();
  const text = gunzipSync(LastSeen).toString('utf8');
  for (const line of text === '' ? [] : text.split('\n')) {
    const tab = line.lastIndexOf('\t');
    const age = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isFinite(age)) throw invalid(`has a malformed line "${line.slice(0, 80)}"`);
    lastSeen.set(line.slice(0, tab), Watermark - age);
  }
  const unstored = Unstored === undefined ? undefined : decodeUnstored(Unstored, lastSeen, invalid);
  return {
    shardId: ShardId, watermark: Watermark, savedAt: SavedAt, ...(ArrivedUntil === undefined ? {} : { arrivedUntil: ArrivedUntil }), lastSeen,
    ...(unstored === undefined ? {} : { unstored }), version: Version,
  };
}

function encodeUnstored(unstored: ReadonlyMap<string, UnstoredHealth>, lastSeen: ReadonlyMap<string, number>): Buffer {
  // Oldest first, as the handler keeps them: its next batches write the oldest away first. A unicorn the record has
  // no time for cannot be judged from it, and would make the record unreadable: it is left out.
  const lines = [...unstored].filter(([name]) => lastSeen.has(name)).map(([name, at]) => `${name}\t${at.latitude}\t${at.longitude}\t${at.magicPoints}\t${at.healthPoints}`);
  return gzipSync(Buffer.from(lines.join('\n'), 'utf8'));
}

function decodeUnstored(
  bytes: Uint8Array, lastSeen: ReadonlyMap<string, number>, invalid: (why: string) => DynamoDbInvalidItemError,
): Map<string, UnstoredHealth> {
  const unstored = new Map<string, UnstoredHealth>();
  const text = gunzipSync(bytes).toString('utf8');
  for (const line of text === '' ? [] : text.split('\n')) {
    const [name = '', ...rest] = line.split('\t');
    const values = rest.map(Number);
    if (values.length !== 4 || !values.every(Number.isFinite) || !lastSeen.has(name)) throw invalid(`has a malformed unstored line "${line.slice(0, 80)}"`);
    const [latitude, longitude, magicPoints, healthPoints] = values as [number, number, number, number];
    unstored.set(name, { latitude, longitude, magicPoints, healthPoints });
  }
  return unstored;
}
