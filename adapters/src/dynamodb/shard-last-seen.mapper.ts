import { gunzipSync, gzipSync } from 'node:zlib';
import type { ShardLastSeen, StoredShardLastSeen } from '@wildrydes/domain';
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
 * and a shard of 50,000 stays far below DynamoDB's 400 KB item limit.
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
    Version: version,
  };
}

export function fromShardItem(tableName: string, item: Record<string, unknown>): StoredShardLastSeen {
  const invalid = (why: string): DynamoDbInvalidItemError => new DynamoDbInvalidItemError(tableName, `shard record ${String(item['ShardId'])} ${why}`);
  const { ShardId, Watermark, SavedAt, Version, LastSeen, ArrivedUntil } = item;
  if (typeof ShardId !== 'string') throw invalid('has no ShardId');
  if (typeof Watermark !== 'number' || typeof SavedAt !== 'number' || typeof Version !== 'number') throw invalid('has no numeric Watermark, SavedAt or Version');
  if (!(LastSeen instanceof Uint8Array)) throw invalid('has no binary LastSeen');
  if (ArrivedUntil !== undefined && typeof ArrivedUntil !== 'number') throw invalid('has a non-numeric ArrivedUntil');
  const lastSeen = new Map<string, number>();
  const text = gunzipSync(LastSeen).toString('utf8');
  for (const line of text === '' ? [] : text.split('\n')) {
    const tab = line.lastIndexOf('\t');
    const age = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isFinite(age)) throw invalid(`has a malformed line "${line.slice(0, 80)}"`);
    lastSeen.set(line.slice(0, tab), Watermark - age);
  }
  return { shardId: ShardId, watermark: Watermark, savedAt: SavedAt, ...(ArrivedUntil === undefined ? {} : { arrivedUntil: ArrivedUntil }), lastSeen, version: Version };
}
