import { describe, expect, it } from 'vitest';
import { AlertsFirst } from './alerts-first';

/** A clock the test moves; sleeping moves it too. */
function manualTime(): { now: number; clock: () => number; sleep: (ms: number) => Promise<void> } {
  const time = { now: 1_000_000, clock: () => time.now, sleep: async (ms: number) => { time.now += ms; } };
  return time;
}

const batch = (arrivedAtMs: number) => ({ Records: [{ kinesis: { approximateArrivalTimestamp: arrivedAtMs / 1000 } }] });

describe('AlertsFirst', () => {
  it('lets a yielding invocation run at once while health keeps up', async () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    const health = gate.first(async () => 'ok');
    const aggregation = gate.yielding(async () => 'done');

    await health(batch(time.now - 300));
    const started = time.now;

    await expect(aggregation(batch(time.now))).resolves.toBe('done');
    expect(time.now).toBe(started);
    expect(gate.waits).toBe(0);
  });

  it('holds a yielding invocation while an invocation of health runs long, and lets it go once health has caught up', async () => {
    const time = manualTime();
    let finishHealth = (): void => {};
    let slept = 0;
    const gate = new AlertsFirst({
      clock: time.clock,
      // Health's long invocation ends after the aggregation has waited 2 s.
      sleep: async (ms) => {
        time.now += ms;
        slept += ms;
        if (slept >= 2_000 && healthDoneAt === 0) finishHealth();
      },
    });
    let healthDoneAt = 0;
    const health = gate.first(() => new Promise<void>((resolve) => { finishHealth = () => { healthDoneAt = time.now; resolve(); }; }));
    const healthRun = health(batch(time.now));
    time.now += 1_500;
    const start = time.now;
    let ranAt = 0;

    await Promise.all([gate.yielding(async () => { ranAt = time.now; })(batch(time.now)), healthRun]);

    // Released by health — its slow batch's report lapses 2 s after it — not by the 5-s cap.
    expect(healthDoneAt).toBeGreaterThan(start);
    expect(ranAt).toBeGreaterThanOrEqual(healthDoneAt + 2_000);
    expect(ranAt - start).toBeLessThan(5_000);
    expect(gate.waits).toBe(1);
  });

  it('holds while health handles batches older than 2 s, and not for a stale report once health went quiet', () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    const health = gate.first(async () => undefined);

    return health(batch(time.now - 8_000)).then(() => {
      expect(gate.healthBehind(time.now)).toBe(true);
      // Nothing handled for 3 s: health has nothing to do, whatever its last batch's age was.
      time.now += 3_000;
      expect(gate.healthBehind(time.now)).toBe(false);
    });
  });

  it('never holds an invocation longer than its cap, even when health stays behind', async () => {
    const time = manualTime();
    const gate = new AlertsFirst({ ...time, maxWaitMs: 5_000 });
    const health = gate.first(() => new Promise<void>(() => undefined));
    void health(batch(time.now));
    time.now += 2_000;
    const start = time.now;
    let ranAt = 0;

    await gate.yielding(async () => { ranAt = time.now; })(batch(time.now));

    expect(ranAt - start).toBeGreaterThanOrEqual(5_000);
    expect(ranAt - start).toBeLessThan(5_100);
    expect(gate.waitedMs).toBe(ranAt - start);
  });
});
