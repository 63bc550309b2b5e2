import type { ApplyOutcome, HealthChange, HealthStore, StoredHealth } from '@wildrydes/domain';

type Interleaved = () => Promise<unknown> | unknown;

/**
 * The health table in memory, with the DynamoDB adapter's semantics: every write is conditional on the version
 * the caller read (absent: not stored yet), a lost race is reported by name and not thrown, and each write
 * stores version + 1. `interleaveBeforeNextWrite` lets a test slip a competing writer in before a write.
 */
export class InMemoryHealthStore implements HealthStore {
  private readonly items = new Map<string, StoredHealth>();
  private interleaved: Interleaved | undefined;
  /** Writes that were applied. */
  writeCount = 0;

  async load(names: readonly string[]): Promise<Map<string, StoredHealth>> {
    const loaded = new Map<string, StoredHealth>();
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

  async findUnseenSince(unseenSince: number): Promise<StoredHealth[]> {
    return [...this.items.values()].filter(({ state }) => !state.silent && state.lastReadingTime < unseenSince);
  }

  /** Runs `action` once, just before the next conditional write is checked. */
  interleaveBeforeNextWrite(action: Interleaved): void {
    this.interleaved = action;
  }
}
