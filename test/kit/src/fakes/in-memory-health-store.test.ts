import type { UnicornHealthState } from '@wildrydes/domain';
import { describe, expect, it } from 'vitest';
import { InMemoryHealthStore } from './in-memory-health-store';

const state = (lastReadingTime: number): UnicornHealthState => ({
  name: 'Shadowfax', lastReadingTime, latitude: 40.7, longitude: -73.9, magicPoints: 150, healthPoints: 150,
  levels: { MagicPoints: 'ok', HealthPoints: 'ok' }, silent: false,
});

describe('InMemoryHealthStore (what the contract does not pin)', () => {
  it('runs an interleaved writer once, before the next write only, and counts applied writes', async () => {
    // Prepare
    const store = new InMemoryHealthStore();
    let runs = 0;
    store.interleaveBeforeNextWrite(async () => {
      runs++;
      await store.applyTransitions([{ state: state(1), expectedVersion: undefined }]);
    });

    // Act
    const first = await store.applyTransitions([{ state: state(2), expectedVersion: undefined }]);
    const second = await store.applyTransitions([{ state: state(3), expectedVersion: 1 }]);

    // Assess
    expect([runs, first.conflicts, second.conflicts, store.writeCount]).toEqual([1, ['Shadowfax'], [], 2]);
    expect((await store.load(['Shadowfax'])).get('Shadowfax')).toEqual({ state: state(3), version: 2 });
  });
});
