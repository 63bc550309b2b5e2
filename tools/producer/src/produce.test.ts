import { describe, expect, it } from 'vitest';
import { FleetSimulation } from '@wildrydes/domain';
import { normaliseGoStyleFlags } from '@wildrydes/cli-support';
import { produce, type Clock } from './produce';
import { RecordPacker, type PackedRecord } from './record-packer';

const T0 = Date.UTC(2026, 10, 22, 10);

/** A clock whose sleeps pass instantly, recording when each tick was due. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = T0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms) => { sleeps.push(ms); now += Math.max(0, ms); } };
}

describe('produce', () => {
  it.each([
    [1, 7, 7],
    [3, 7, 3],
  ])('packs %i readings per record and stops at -msgs %i, sending %i records', async (pack, msgs, expectedRecords) => {
    // Prepare
    const sim = new FleetSimulation({ seed: 1, unicorns: 1, startTime: T0 });
    const sent: PackedRecord[] = [];

    // Act
    const { generated } = await produce(
      { tickIntervalMs: 1000, maxRecords: msgs, signal: new AbortController().signal },
      { tick: () => sim.tick(), flushLate: () => sim.flushLate(), packer: new RecordPacker(pack), send: async (b) => void sent.push(...b), clock: fakeClock() },
    );

    // Assess
    expect(generated).toBe(msgs);
    expect(sent).toHaveLength(expectedRecords);
    expect(sent.reduce((n, r) => n + r.lines, 0)).toBe(msgs);
  });

  it('ticks once a second per unicorn for --duration, without drift', async () => {
    const sim = new FleetSimulation({ seed: 2, unicorns: 3, startTime: T0 });
    const clock = fakeClock();
    const sent: PackedRecord[] = [];
    await produce(
      { tickIntervalMs: 1000, durationMs: 5000, signal: new AbortController().signal },
      { tick: () => sim.tick(), flushLate: () => sim.flushLate(), packer: new RecordPacker(1), send: async (b) => void sent.push(...b), clock },
    );
    expect(sent).toHaveLength(15);
    expect(clock.sleeps).toEqual([0, 1000, 1000, 1000, 1000]);
  });

  it('sends what is packed and held back when stopped', async () => {
    const sim = new FleetSimulation({ seed: 3, unicorns: 2, startTime: T0, scenarios: { lateEvery: 2, lateBySeconds: 100 } });
    const controller = new AbortController();
    const sent: PackedRecord[] = [];
    let ticks = 0;
    await produce(
      { tickIntervalMs: 0, signal: controller.signal },
      {
        tick: () => {
          if (++ticks === 3) controller.abort();
          return sim.tick();
        },
        flushLate: () => sim.flushLate(),
        packer: new RecordPacker(4),
        send: async (b) => void sent.push(...b),
      },
    );
    expect(sent.reduce((n, r) => n + r.lines, 0)).toBe(6);
  });
});

describe('normaliseGoStyleFlags', () => {
  it('turns the known single-dash long flags into GNU ones, and nothing else', () => {
    expect(normaliseGoStyleFlags(['-name', 'X', '-msgs=5', '-x', '--stream', 's', '-unknown', '--', '-name'], ['--name', '--msgs', '--stream'])).toEqual([
      '--name', 'X', '--msgs=5', '-x', '--stream', 's', '-unknown', '--', '-name',
    ]);
  });
});
