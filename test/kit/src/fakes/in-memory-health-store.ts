import { fleetHealthViews } from '@wildrydes/domain';
import type {
  ApplyOutcome, HealthChange, HealthReader, HealthStore, ShardLastSeen, StoredHealth, StoredShardLastSeen, UnicornHealthView, UnstoredHealth,
} from '@wildrydes/domain';

type Interleaved = () => Promise<unknown> | unknown;

/**
 * The health table in memory, with the DynamoDB adapter's semantics: every write is conditional on the version
 * the caller read (absent: not stored yet), a lost race is reported by name and not thrown, and each write
 * stores version + 1. `interleaveBeforeNextWrite` lets a test slip a competing writer in before a write. It is also
 * the fleet's `HealthReader`, as the DynamoDB table is read by `DynamoDbHealthReader`.
 */
export class InMemoryHealthStore implements HealthStore, HealthReader {
  private readonly items = new Map<string, StoredHealth>();
  private readonly shards = new Map<string, StoredShardLastSeen>();
  private interleaved: Interleaved | undefined;
  /** Unicorn writes that were applied. */
  writeCount = 0;
  /** Shard records saved. */
  shardSaveCount = 0;
  /** Unicorn states asked for by `load`. */
  loadCount = 0;

  async load(names: readonly string[]): Promise<Map<string, StoredHealth>> {
    const loaded = new Map<string, StoredHealth>();
    this.loadCount += names.length;
    for (const name of names) {
      const stored = this.items.get(name);
      if (stored !== undefined) loaded.set(name, stored);
    }
    return loaded;
  }

  async applyTransitions(changes: readonly HealthChange[]): Promise<ApplyOutcome> {
    const conflicts: string[] = [];
    for (const { state, expectedVersion } of changes) {
      const action = this.interleaved;
      this.interleaved = undefined;
      await action?.();
      const current = this.items.get(state.name);
      if (current?.version !== expectedVersion) {
        conflicts.push(state.name);
        continue;
      }
      this.items.set(state.name, { state: { ...state, levels: { ...state.levels } }, version: (expectedVersion ?? 0) + 1 });
      this.writeCount++;
    }
    return { conflicts: conflicts.sort() };
  }

  async loadShard(shardId: string): Promise<StoredShardLastSeen | undefined> {
    const stored = this.shards.get(shardId);
    return stored === undefined ? undefined : copyRecord(stored);
  }

  async saveShard(record: ShardLastSeen, expectedVersion: number | undefined): Promise<'saved' | 'conflict'> {
    if (this.shards.get(record.shardId)?.version !== expectedVersion) return 'conflict';
    this.shards.set(record.shardId, copyRecord({ ...record, version: (expectedVersion ?? 0) + 1 }));
    this.shardSaveCount++;
    return 'saved';
  }

  async listShards(): Promise<StoredShardLastSeen[]> {
    return [...this.shards.values()].sort((a, b) => (a.shardId < b.shardId ? -1 : 1)).map(copyRecord);
  }

  async readAll(): Promise<UnicornHealthView[]> {
    const views = fleetHealthViews([...this.items.values()].map(({ state }) => state), this.shards.values());
    return views.map((view) => ({ ...view, state: { ...view.state, levels: { ...view.state.levels } } }));
  }

  /** Runs `action` once, just before the next conditional write is checked. */
  interleaveBeforeNextWrite(action: Interleaved): void {
    this.interleaved = action;
  }
}

function copyRecord(record: StoredShardLastSeen): StoredShardLastSeen {
  // As the table's record: an unstored unicorn without a last-seen time is not kept, and an empty list is absent.
  const { unstored, ...rest } = record;
  const kept = [...(unstored ?? [])].filter(([name]) => record.lastSeen.has(name)).map(([name, at]) => [name, pick(at)] as const);
  return { ...rest, lastSeen: new Map(record.lastSeen), ...(kept.length === 0 ? {} : { unstored: new Map(kept) }) };
}

/** Only what the table keeps of an unstored unicorn (the handler passes its whole state). */
const pick = ({ latitude, longitude, magicPoints, healthPoints }: UnstoredHealth): UnstoredHealth => ({ latitude, longitude, magicPoints, healthPoints });
