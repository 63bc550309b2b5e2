import { describe, expect, it } from 'vitest';
import type { RetainedRecord, StreamHistory, TelemetryRecord } from '@wildrydes/domain';

export interface StreamHistoryUnderTest {
  readonly history: StreamHistory;
  /** Puts records on the stream the history reads (and waits until the stream took them). */
  put(records: readonly TelemetryRecord[]): Promise<void>;
}

/** A fresh, empty stream per call. */
export type StreamHistoryFactory = () => Promise<StreamHistoryUnderTest>;

const encoder = new TextEncoder();
const record = (name: string, i: number): TelemetryRecord => ({ partitionKey: name, data: encoder.encode(`{"Name":"${name}","i":${i}}\n`) });

async function all(history: StreamHistory): Promise<RetainedRecord[]> {
  const records: RetainedRecord[] = [];
  for await (const retained of history.readRetained()) records.push(retained);
  return records;
}

/** What `reconcile` relies on when it counts what a stream received, whatever holds the stream. */
export function describeStreamHistoryContract(name: string, factory: StreamHistoryFactory): void {
  describe(`StreamHistory contract: ${name}`, () => {
    it('ends at once on an empty stream', async () => {
      const { history } = await factory();
      await expect(all(history)).resolves.toEqual([]);
    });

    it('reads every record put, each once, with a unique shard:sequence position, in put order per key', async () => {
      // Prepare
      const subject = await factory();
      const put = Array.from({ length: 30 }, (_, i) => record(['Shadowfax', 'Rocinante', 'Bucephalus'][i % 3] as string, i));
      const before = Date.now();
      await subject.put(put);

      // Act
      const read = await all(subject.history);

      // Assess
      const texts = read.map((r) => new TextDecoder().decode(r.data));
      expect([...texts].sort()).toEqual(put.map((r) => new TextDecoder().decode(r.data)).sort());
      expect(new Set(read.map((r) => r.position)).size).toBe(30);
      for (const r of read) expect(r.position).toMatch(/^shardId-\d{12}:\d+$/);
      for (const r of read) expect(r.arrivedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      const orderOf = (key: string) => texts.filter((t) => t.includes(`"${key}"`)).map((t) => JSON.parse(t).i as number);
      for (const key of ['Shadowfax', 'Rocinante', 'Bucephalus']) expect(orderOf(key)).toEqual([...orderOf(key)].sort((a, b) => a - b));
    });

    it('reads the same records when read again (reading consumes nothing)', async () => {
      // Prepare
      const subject = await factory();
      await subject.put([record('Epona', 1), record('Epona', 2)]);

      // Act
      const first = await all(subject.history);
      const second = await all(subject.history);

      // Assess
      expect(second.map((r) => r.position)).toEqual(first.map((r) => r.position));
    });
  });
}
