import { describe, expect, it } from 'vitest';
import type { Clock } from './produce';
import type { PackedRecord } from './record-packer';
import { sendThroughOutages, StreamUnreachableError } from './send-through-outages';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4567'), { code: 'ECONNREFUSED' });
const batch = (lines: number): PackedRecord[] => [{ record: { partitionKey: 'Shadowfax', data: new Uint8Array() }, lines }];
const fakeClock = (): Clock & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } };
};
const isUnreachable = (error: unknown): boolean => (error as { code?: string }).code === 'ECONNREFUSED';

describe('sendThroughOutages', () => {
  it('sends the batch again, with growing delays, until the stream is back; counts its lines as resent', async () => {
    const clock = fakeClock();
    let calls = 0;
    const states: string[] = [];
    let resent = 0;
    const send = sendThroughOutages(async () => { if (++calls <= 4) throw refused; }, {
      signal: new AbortController().signal, outageLimitMs: 60_000, clock, isUnreachable, onOutage: (state) => states.push(state),
    }, { resent: (n) => { resent += n; } });
    await send(batch(7));
    expect(calls).toBe(5);
    expect(clock.slept).toEqual([250, 500, 1000, 2000]);
    expect(states).toEqual(['unreachable', 'reachable']);
    expect(resent).toBe(7);
  });

  it('gives up after the outage limit with the lines not acknowledged', async () => {
    const clock = fakeClock();
    const send = sendThroughOutages(async () => { throw refused; }, { signal: new AbortController().signal, outageLimitMs: 10_000, clock, isUnreachable, onOutage: () => undefined }, { resent: () => undefined });
    await expect(send(batch(3))).rejects.toMatchObject({ code: 'STREAM_UNREACHABLE', lines: 3 });
    expect(clock.now()).toBeGreaterThanOrEqual(10_000);
  });

  it('stops at once when the run is stopped during an outage', async () => {
    const controller = new AbortController();
    controller.abort();
    const send = sendThroughOutages(async () => { throw refused; }, { signal: controller.signal, outageLimitMs: 60_000, clock: fakeClock(), isUnreachable, onOutage: () => undefined }, { resent: () => undefined });
    await expect(send(batch(2))).rejects.toBeInstanceOf(StreamUnreachableError);
  });

  it('throws a refusal that is not a network error at once', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const send = sendThroughOutages(async () => { throw denied; }, { signal: new AbortController().signal, outageLimitMs: 60_000, clock: fakeClock(), isUnreachable, onOutage: () => undefined }, { resent: () => undefined });
    await expect(send(batch(1))).rejects.toBe(denied);
  });
});
