import { describe, expect, it } from 'vitest';
import { fleetHealthViews } from './fleet-health-views';
import { healthyState } from './evaluate-health';

const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);
const at = (latitude: number) => ({ latitude, longitude: -73.98, magicPoints: 150, healthPoints: 150 });

describe('fleetHealthViews', () => {
  it('joins stored states with the records: an item wins, the newer of two records wins, the newest time is seen, sorted by name', () => {
    // Prepare: Pegasus stored and in a record; Newcomer in two records (a reshard); Ghost only timed, never carried.
    const pegasus = { ...healthyState('Pegasus', T0, at(1)), silent: true };
    const records = [
      { shardId: 'a', watermark: T0 + 9_000, savedAt: T0, lastSeen: new Map([['Pegasus', T0 + 5_000], ['Newcomer', T0 + 2_000], ['Ghost', T0]]), unstored: new Map([['Pegasus', at(2)], ['Newcomer', at(3)]]) },
      { shardId: 'b', watermark: T0 + 9_000, savedAt: T0, lastSeen: new Map([['Newcomer', T0 + 7_000]]), unstored: new Map([['Newcomer', at(4)]]) },
    ];

    // Act
    const views = fleetHealthViews([pegasus], records);

    // Assess
    expect(views).toEqual([
      { state: healthyState('Newcomer', T0 + 7_000, at(4)), lastSeen: T0 + 7_000 },
      { state: pegasus, lastSeen: T0 + 5_000 },
    ]);
  });
});
