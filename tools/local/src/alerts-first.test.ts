import { describe, expect, it } from 'vitest';
import { AlertsFirst } from './alerts-first';

/** A clock the test moves; a waiting invocation's sleep moves it too, and may let something happen. */
function manualTime(onSleep: (now: number) => void = () => undefined): { now: number; clock: () => number; sleep: (ms: number) => Promise<void> } {
  const time = {
    now: 1_000_000,
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.now += ms;
      onSleep(time.now);
    },
  };
  return time;
}

/** A batch of one shard whose last record arrived at `arrivedAtMs`. */
const batch = (shard: number, arrivedAtMs: number) => ({
  Records: [{ eventID: `shardId-00000000000${shard}:4959${shard}`, kinesis: { approximateArrivalTimestamp: arrivedAtMs / 1000 } }],
});

/** A handler that runs until `finish()` is called. */
function pending(): { handler: () => Promise<void>; finish: () => void } {
  const control = { finish: (): void => undefined };
  return { handler: () => new Promise<void>((resolve) => { control.finish = resolve; }), finish: () => control.finish() };
}

describe('AlertsFirst', () => {
  it('lets a batch run at once while health is idle or has handled the shard up to it', async () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    const health = gate.first(async () => undefined);
    const aggregation = gate.yielding(async () => 'done');

    // Never heard of: health is idle on the shard.
    await expect(aggregation(batch(0, time.now))).resolves.toBe('done');
    await health(batch(0, time.now - 500));
    const slow = pending();
    void gate.first(slow.handler)(batch(0, time.now));
    // Busy, but it has handled records up to 0.5 s before this batch's end.
    await expect(aggregation(batch(0, time.now))).resolves.toBe('done');

    expect(gate.waits).toBe(0);
    slow.finish();
  });

  it('holds a batch while health, busy on its shard, has not handled what came before it, and lets it go once it has', async () => {
    const slowHealth = pending();
    let healthDoneAt = 0;
    const time = manualTime((now) => {
      // Health finishes its long first batch after the aggregation has waited 2 s.
      if (healthDoneAt === 0 && now - start >= 2_000) {
        healthDoneAt = now;
        slowHealth.finish();
      }
    });
    const gate = new AlertsFirst(time);
    const healthRun = gate.first(slowHealth.handler)(batch(3, time.now));
    const start = time.now;
    let ranAt = 0;

    await Promise.all([gate.yielding(async () => { ranAt = time.now; })(batch(3, time.now)), healthRun]);

    expect(ranAt).toBeGreaterThanOrEqual(healthDoneAt);
    expect(ranAt - start).toBeLessThan(2_100);
    expect(gate.waits).toBe(1);
    expect(gate.waitedMs).toBe(ranAt - start);
  });

  it('does not hold a batch of another shard', async () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    const slow = pending();
    void gate.first(slow.handler)(batch(1, time.now));
    time.now += 10_000;

    await gate.yielding(async () => undefined)(batch(2, time.now));

    expect(gate.waits).toBe(0);
    slow.finish();
  });

  it('never holds an invocation longer than its cap, even when health stays behind', async () => {
    const time = manualTime();
    const gate = new AlertsFirst({ ...time, maxWaitMs: 5_000 });
    void gate.first(() => new Promise<void>(() => undefined))(batch(0, time.now - 60_000));
    const start = time.now;
    let ranAt = 0;

    await gate.yielding(async () => { ranAt = time.now; })(batch(0, time.now));

    expect(ranAt - start).toBeGreaterThanOrEqual(5_000);
    expect(ranAt - start).toBeLessThan(5_100);
  });

  it('does not hold a batch that is itself 30 s behind', async () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    const slow = pending();
    void gate.first(slow.handler)(batch(0, time.now - 60_000));

    await gate.yielding(async () => undefined)(batch(0, time.now - 30_000));

    expect(gate.waits).toBe(0);
    slow.finish();
  });

  it('passes a failing health batch on, and counts nothing handled from it', async () => {
    const time = manualTime();
    const gate = new AlertsFirst(time);
    await expect(gate.first(async () => { throw new Error('DynamoDB is down'); })(batch(0, time.now))).rejects.toThrow('DynamoDB is down');
    const slow = pending();
    void gate.first(slow.handler)(batch(0, time.now));

    expect(gate.healthBehind('shardId-000000000000', time.now + 2_500)).toBe(true);
    slow.finish();
  });
});
