import { partialsFromReadings, type MinutePartial } from '@wildrydes/domain';
import { describe, expect, it } from 'vitest';
import { InMemorySummaryStore } from './in-memory-summary-store';

const MINUTE = Date.UTC(2026, 0, 1, 12, 0, 0);
const partialOf = (seconds: readonly number[]): MinutePartial[] => [...partialsFromReadings(seconds.map((s) => ({
  name: 'Shadowfax', time: MINUTE + s * 1000, latitude: 40.7, longitude: -73.9, distance: 30 + s, magicPoints: 150, healthPoints: 150,
}))).values()];

describe('InMemorySummaryStore (what the contract does not pin)', () => {
  it('runs an interleaved writer once, counts the conflict it causes and the writes applied', async () => {
    // Prepare
    const store = new InMemorySummaryStore();
    let runs = 0;
    store.interleaveBeforeNextWrite(async () => {
      runs++;
      await store.merge(partialOf([5, 6]));
    });

    // Act
    await store.merge(partialOf([1, 2]));
    await store.merge(partialOf([3]));

    // Assess
    expect(runs).toBe(1);
    expect(store.conflictCount).toBe(1);
    expect(store.writeCount).toBe(3);
    expect((await store.get('Shadowfax', MINUTE))?.partial.offsets).toEqual([1000, 2000, 3000, 5000, 6000]);
  });

  it('keeps its own copy of what it stores', async () => {
    // Prepare
    const store = new InMemorySummaryStore();
    const [partial] = partialOf([1]);
    await store.merge([partial!]);

    // Act
    (partial!.offsets as number[]).push(59_000);

    // Assess
    expect((await store.get('Shadowfax', MINUTE))?.partial.offsets).toEqual([1000]);
  });

  it('logs each request the DynamoDB adapter would send, with what it reads, scans or writes', async () => {
    // Prepare
    const store = new InMemorySummaryStore();
    const [first] = partialOf([1]);
    const [both] = partialOf([1, 2]);

    // Act
    await store.merge([first!]);
    await store.merge([both!], { markEmitted: true });
    await store.merge([both!], { markEmitted: true });
    await store.findPending([{ name: 'Shadowfax', fromWindowStart: MINUTE - 60_000, beforeWindowStart: MINUTE + 120_000 }]);
    await store.markEmitted([{ partial: both!, version: 2 }]);

    // Assess
    expect(store.operations.map((op) => op.kind === 'query' ? `query:${op.scanned.length}` : op.kind === 'read' ? `read:${op.stored?.offsets.length ?? '-'}` : `write:${op.partial.offsets.length}:${op.emitted}`))
      .toEqual(['read:-', 'write:1:false', 'read:1', 'write:2:true', 'read:2', 'query:1', 'write:2:true']);
    expect(store.writeCount).toBe(3);
  });
});
