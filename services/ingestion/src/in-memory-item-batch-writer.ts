import type { ItemBatchWriter } from './item-batch-writer.port';

/** Tables in memory, keyed like UnicornSensorData (Name, StatusTime): a put replaces the item with its key. */
export class InMemoryItemBatchWriter implements ItemBatchWriter {
  private readonly tables = new Map<string, Map<string, object>>();
  private failure: Error | undefined;
  /** putAll calls made. */
  calls = 0;

  constructor(private readonly keyAttributes: readonly string[] = ['Name', 'StatusTime']) {}

  /** Makes later putAll calls throw this error (undefined: stop failing). */
  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  async putAll(tableName: string, items: readonly object[]): Promise<{ readonly written: number }> {
    this.calls++;
    if (this.failure) throw this.failure;
    const table = this.tables.get(tableName) ?? new Map<string, object>();
    this.tables.set(tableName, table);
    const keys = new Set<string>();
    for (const item of items) {
      const key = JSON.stringify(this.keyAttributes.map((attribute) => (item as Record<string, unknown>)[attribute]));
      keys.add(key);
      table.set(key, structuredClone(item));
    }
    return { written: keys.size };
  }

  /** The items of a table, in key order. */
  items(tableName: string): Record<string, unknown>[] {
    const table = this.tables.get(tableName) ?? new Map<string, object>();
    return [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item as Record<string, unknown>);
  }
}
