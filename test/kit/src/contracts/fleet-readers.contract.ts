import {
  partialsFromReadings, type HealthReader, type HealthStore, type MinuteSummaryReader, type Reading, type SummaryStore,
} from '@wildrydes/domain';
import { expect, it, onTestFinished } from 'vitest';
import { aHealthState } from './health-store.contract';

/** A reader and the store it reads, on the same table: the contract writes through the store and reads back. */
export interface HealthReaderUnderTest {
  readonly writer: HealthStore;
  readonly reader: HealthReader;
  dispose(): Promise<void>;
}

export interface MinuteSummaryReaderUnderTest {
  readonly writer: SummaryStore;
  readonly reader: MinuteSummaryReader;
  dispose(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

const reading = (name: string, time: number, overrides: Partial<Reading> = {}): Reading => ({
  name, time, latitude: 40.75, longitude: -73.98, distance: 10, magicPoints: 150, healthPoints: 150, ...overrides,
});

/** What every HealthReader shares: all stored unicorns, sorted by name, each seen as late as any shard record says. */
export function healthReaderContract(factory: () => Promise<HealthReaderUnderTest>): void {
  const subject = async (): Promise<HealthReaderUnderTest> => {
    const s = await factory();
    onTestFinished(() => s.dispose());
    return s;
  };

  it('reads nothing from an empty table', async () => {
    const { reader } = await subject();
    expect(await reader.readAll()).toEqual([]);
  });

  it('reads every stored unicorn, sorted by name, without the shard records', async () => {
    // Prepare
    const { writer, reader } = await subject();
    const states = ['Shadowfax', 'Bucephalus', 'Pegasus'].map((name, i) => aHealthState(name, { lastReadingTime: T0 + i }));
    await writer.applyTransitions(states.map((state) => ({ state, expectedVersion: undefined })));
    await writer.saveShard({ shardId: 'shardId-000000000000', watermark: T0, savedAt: T0, lastSeen: new Map([['Pegasus', T0]]) }, undefined);
    // Act
    const views = await reader.readAll();
    // Assess
    expect(views.map((v) => v.state.name)).toEqual(['Bucephalus', 'Pegasus', 'Shadowfax']);
    expect(views[0]!.state).toEqual(states[1]);
  });

  it('takes the newest of the state and every shard record as the last-seen time', async () => {
    const { writer, reader } = await subject();
    const critical = aHealthState('Bucephalus', { lastReadingTime: T0, healthPoints: 40, levels: { MagicPoints: 'ok', HealthPoints: 'critical' } });
    await writer.applyTransitions([{ state: critical, expectedVersion: undefined }, { state: aHealthState('Pegasus', { lastReadingTime: T0 + 9_000 }), expectedVersion: undefined }]);
    // Two shards know Bucephalus (a reshard); the newer time wins. Pegasus's shard record is older than its state.
    await writer.saveShard({ shardId: 'shardId-000000000000', watermark: T0 + 20_000, savedAt: T0, lastSeen: new Map([['Bucephalus', T0 + 5_000], ['Pegasus', T0 + 1_000]]) }, undefined);
    await writer.saveShard({ shardId: 'shardId-000000000001', watermark: T0 + 20_000, savedAt: T0, lastSeen: new Map([['Bucephalus', T0 + 12_000]]) }, undefined);

    const views = await reader.readAll();

    expect(views.map((v) => [v.state.name, v.lastSeen, v.state.levels.HealthPoints])).toEqual([
      ['Bucephalus', T0 + 12_000, 'critical'],
      ['Pegasus', T0 + 9_000, 'ok'],
    ]);
  });

  it('reads a unicorn known only to a shard record as unknown to health: it has no stored state yet', async () => {
    const { writer, reader } = await subject();
    await writer.saveShard({ shardId: 'shardId-000000000000', watermark: T0, savedAt: T0, lastSeen: new Map([['Newcomer', T0]]) }, undefined);
    expect(await reader.readAll()).toEqual([]);
  });

  it('reads a unicorn a shard record carries without an item as healthy, where it was at its last reading; an item wins', async () => {
    // Prepare: Newcomer only in the record; Pegasus in the record too, but it has an item since.
    const { writer, reader } = await subject();
    const at = { latitude: 51.5, longitude: -0.12, magicPoints: 140, healthPoints: 130 };
    const pegasus = aHealthState('Pegasus', { lastReadingTime: T0 + 1_000, healthPoints: 40, levels: { MagicPoints: 'ok', HealthPoints: 'critical' } });
    await writer.applyTransitions([{ state: pegasus, expectedVersion: undefined }]);
    await writer.saveShard({
      shardId: 'shardId-000000000000', watermark: T0 + 5_000, savedAt: T0, lastSeen: new Map([['Newcomer', T0 + 5_000], ['Pegasus', T0 + 2_000]]),
      unstored: new Map([['Newcomer', at], ['Pegasus', at]]),
    }, undefined);

    // Act
    const views = await reader.readAll();

    // Assess
    expect(views).toEqual([
      {
        state: { name: 'Newcomer', lastReadingTime: T0 + 5_000, ...at, levels: { MagicPoints: 'ok', HealthPoints: 'ok' }, silent: false },
        lastSeen: T0 + 5_000,
      },
      { state: pegasus, lastSeen: T0 + 2_000 },
    ]);
  });
}

/** What every MinuteSummaryReader shares: one unicorn's minutes whose windows start in [from, before), oldest first. */
export function minuteSummaryReaderContract(factory: () => Promise<MinuteSummaryReaderUnderTest>): void {
  const subject = async (): Promise<MinuteSummaryReaderUnderTest> => {
    const s = await factory();
    onTestFinished(() => s.dispose());
    return s;
  };
  // Three minutes of Bucephalus (declining health), one of Pegasus.
  const readings = [
    reading('Bucephalus', T0 + 1_000, { healthPoints: 120, distance: 5 }), reading('Bucephalus', T0 + 2_000, { healthPoints: 110, distance: 6 }),
    reading('Bucephalus', T0 + MINUTE + 1_000, { healthPoints: 90 }),
    reading('Bucephalus', T0 + 2 * MINUTE + 59_999, { healthPoints: 40 }),
    reading('Pegasus', T0 + 1_000),
  ];
  const seeded = async (): Promise<MinuteSummaryReaderUnderTest> => {
    const s = await subject();
    await s.writer.merge([...partialsFromReadings(readings).values()]);
    return s;
  };

  it('reads the minutes starting in the range, oldest first, with the summary figures', async () => {
    const { reader } = await seeded();

    const minutes = await reader.readMinutes('Bucephalus', T0, T0 + 3 * MINUTE);

    expect(minutes.map((m) => [m.WindowStart, m.StatusTime, m.Readings, m.MinHealthPoints, m.MaxHealthPoints])).toEqual([
      ['2026-01-01 12:00:00.000', '2026-01-01 12:01:00.000', 2, 110, 120],
      ['2026-01-01 12:01:00.000', '2026-01-01 12:02:00.000', 1, 90, 90],
      ['2026-01-01 12:02:00.000', '2026-01-01 12:03:00.000', 1, 40, 40],
    ]);
    expect(minutes[0]!.Distance).toBeCloseTo(11, 6);
  });

  it('includes the window starting at `from` and excludes the one starting at `before`', async () => {
    const { reader } = await seeded();
    const minutes = await reader.readMinutes('Bucephalus', T0 + MINUTE, T0 + 2 * MINUTE);
    expect(minutes.map((m) => m.WindowStart)).toEqual(['2026-01-01 12:01:00.000']);
  });

  it('reads only the named unicorn, and nothing for an empty or inverted range or an unknown name', async () => {
    const { reader } = await seeded();
    expect((await reader.readMinutes('Pegasus', T0 - MINUTE, T0 + 10 * MINUTE)).map((m) => m.Name)).toEqual(['Pegasus']);
    expect(await reader.readMinutes('Bucephalus', T0 + MINUTE, T0 + MINUTE)).toEqual([]);
    expect(await reader.readMinutes('Bucephalus', T0 + 2 * MINUTE, T0)).toEqual([]);
    expect(await reader.readMinutes('Nobody', T0, T0 + 10 * MINUTE)).toEqual([]);
  });
}
