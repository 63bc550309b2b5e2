import type { UnicornHealthView } from '../ports/fleet-reader.port';
import type { ShardLastSeen } from '../ports/health-store.port';
import { healthyState, type UnicornHealthState } from './evaluate-health';

/**
 * The fleet as a reader sees it: every stored state, and every unicorn a shard's record carries without an item
 * (healthy since its first reading), each with the newest reading time any record knows. A stored state wins over a
 * record's entry; of two records carrying the same unicorn (a reshard), the newer wins. Sorted by name.
 */
export function fleetHealthViews(states: Iterable<UnicornHealthState>, records: Iterable<ShardLastSeen>): UnicornHealthView[] {
  const lastSeen = new Map<string, number>();
  const views = new Map<string, UnicornHealthState>();
  for (const state of states) views.set(state.name, state);
  const fromRecords = new Map<string, UnicornHealthState>();
  for (const record of records) {
    for (const [name, time] of record.lastSeen) lastSeen.set(name, Math.max(time, lastSeen.get(name) ?? -Infinity));
    for (const [name, at] of record.unstored ?? []) {
      const time = record.lastSeen.get(name);
      if (time !== undefined && time > (fromRecords.get(name)?.lastReadingTime ?? -Infinity)) fromRecords.set(name, healthyState(name, time, at));
    }
  }
  for (const [name, state] of fromRecords) if (!views.has(name)) views.set(name, state);
  return [...views.values()]
    .map((state) => ({ state, lastSeen: Math.max(state.lastReadingTime, lastSeen.get(state.name) ?? -Infinity) }))
    .sort((a, b) => (a.state.name < b.state.name ? -1 : a.state.name > b.state.name ? 1 : 0));
}
