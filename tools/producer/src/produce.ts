import type { SimulatedRecord } from '@wildrydes/domain';
import type { PackedRecord, RecordPacker } from './record-packer';

export interface ProduceOptions {
  /** Milliseconds between ticks (one reading per unicorn each); 0 sends as fast as the sink takes them. */
  readonly tickIntervalMs: number;
  /** Stop after this many simulated records. */
  readonly maxRecords?: number;
  readonly durationMs?: number;
  /** Aborting stops at the next tick; what is packed is still sent. */
  readonly signal: AbortSignal;
  /** In fast mode, records are sent in batches of this many (PutRecords takes 500). */
  readonly batchSize?: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface ProduceDependencies {
  /** One simulated second: the records every unicorn sends in it. */
  readonly tick: () => SimulatedRecord[];
  /** Records held back by the late scenario, sent at the end. */
  readonly flushLate: () => SimulatedRecord[];
  readonly packer: RecordPacker;
  readonly send: (records: PackedRecord[]) => Promise<void>;
  readonly clock?: Clock;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (ms <= 0 || signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

/**
 * The producer's loop: ticks on a fixed schedule (no drift: tick k is due at start + k × interval), packs records,
 * sends them, and stops at the record limit, the deadline or the signal. It always ends by sending what is still
 * packed and held back, so a stopped run leaves nothing half-sent.
 */
export async function produce(options: ProduceOptions, dependencies: ProduceDependencies): Promise<{ readonly generated: number }> {
  const clock = dependencies.clock ?? systemClock;
  const { tickIntervalMs: interval, maxRecords, signal } = options;
  const batchSize = options.batchSize ?? 500;
  const start = clock.now();
  const deadline = options.durationMs === undefined ? Infinity : start + options.durationMs;
  let generated = 0;
  let pending: PackedRecord[] = [];

  for (let tick = 0; ; tick++) {
    if (signal.aborted || (maxRecords !== undefined && generated >= maxRecords)) break;
    if (interval > 0) {
      const due = start + tick * interval;
      if (due >= deadline) break;
      await clock.sleep(due - clock.now(), signal);
      if (signal.aborted) break;
    } else if (clock.now() >= deadline) {
      break;
    }
    let records = dependencies.tick();
    if (maxRecords !== undefined) records = records.slice(0, maxRecords - generated);
    generated += records.length;
    pending.push(...dependencies.packer.add(records));
    if (pending.length > 0 && (interval > 0 || pending.length >= batchSize)) {
      const batch = pending;
      pending = [];
      await dependencies.send(batch);
    }
  }

  const late = dependencies.flushLate();
  generated += late.length;
  pending.push(...dependencies.packer.add(late), ...dependencies.packer.drain());
  for (let i = 0; i < pending.length; i += batchSize) await dependencies.send(pending.slice(i, i + batchSize));
  return { generated };
}
