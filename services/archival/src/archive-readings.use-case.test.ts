import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryArchiveStore, InMemoryQuarantine } from '@wildrydes/test-kit';
import {
  formatStatusTime, partitionOf, toWorkshopRecord, type ArchiveStore, type QuarantinedRecord, type Reading,
} from '@wildrydes/domain';
import { ArchiveWriteFailedError } from './archive-write-failed.error';
import { ArchiveReadings, groupByHourAndShard, type ArchivableReading, type ArchiveReadingsBatch } from './archive-readings.use-case';

const SHARD = 'shardId-000000000000';
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);

const reading = (name: string, time: number, distance = 30): Reading => ({
  name, time, latitude: 40.75, longitude: -73.98, distance, magicPoints: 150, healthPoints: 150,
});
const line = (r: Reading): string => JSON.stringify(toWorkshopRecord(r));

/** One Kinesis record of the simulated shard: the readings it decoded to, and a rejection if it held a bad line. */
interface SourceRecord {
  readonly sequenceNumber: string;
  readonly readings: readonly Reading[];
  readonly rejected?: QuarantinedRecord;
}

/** A shard whose records cover three event-time hours out of order, with two poison records and a mixed one. */
function shardOf(hoursPerRecord: readonly (readonly number[])[]): SourceRecord[] {
  return hoursPerRecord.map((hours, i) => {
    const sequenceNumber = String(1000 + i);
    const readings = hours.map((h, j) => reading(`Unicorn-${i}-${j}`, T0 + h * HOUR + i * 1000 + j));
    const poison = hours.length === 0 || i % 7 === 6;
    return {
      sequenceNumber,
      readings,
      ...(poison ? {
        rejected: { sourcePosition: `${SHARD}:${sequenceNumber}`, receivedAt: T0 + 2 * HOUR + i, rejections: [{ code: 'INVALID_JSON' as const, reason: 'not JSON', line: hours.length + 1, raw: 'poison' }] },
      } : {}),
    };
  });
}

/** Hours 09–11 appear in both halves of the batch; hour 12 only in the second half. */
const STREAM = shardOf([[0], [1], [0], [], [2, 1], [1], [0], [2], [], [3], [0, 0], [3, 2]]);

const batchOf = (records: readonly SourceRecord[]): ArchiveReadingsBatch => ({
  readings: records.flatMap((r) => r.readings.map((rd): ArchivableReading => ({ reading: rd, shardId: SHARD, sequenceNumber: r.sequenceNumber }))),
  rejected: records.flatMap((r) => (r.rejected === undefined ? [] : [r.rejected])),
});

/**
 * An ArchiveStore where one write of the next call fails while the others land, as when S3 throttles one PUT:
 * a failed attempt then leaves objects of later groups behind, which is what a wrong key rule would duplicate.
 */
class FlakyArchiveStore implements ArchiveStore {
  readonly inner = new InMemoryArchiveStore();
  private failing: number | undefined;
  private writes = 0;

  /** Fail the write with this index (0-based) from now on; undefined: fail nothing. */
  failWrite(index: number | undefined): void {
    this.failing = index;
    this.writes = 0;
  }

  async write(key: string, lines: readonly string[]): Promise<void> {
    if (this.writes++ === this.failing) throw Object.assign(new Error('SlowDown'), { name: 'SlowDown' });
    await this.inner.write(key, lines);
  }

  read(key: string): Promise<string[]> {
    return this.inner.read(key);
  }

  list(prefix: string): AsyncIterable<string> {
    return this.inner.list(prefix);
  }
}

const setup = () => {
  const store = new FlakyArchiveStore();
  const quarantine = new InMemoryQuarantine();
  const archive = new ArchiveReadings(store, quarantine);
  /** One invocation on records [from, to); `failingWrite` makes that write (by index) fail, the others land. */
  const deliver = async (records: readonly SourceRecord[], [from, to]: readonly [number, number], failingWrite?: number): Promise<boolean> => {
    store.failWrite(failingWrite);
    try {
      await archive.execute(batchOf(records.slice(from, to)));
      return true;
    } catch (error) {
      expect(error).toMatchObject({ code: 'ARCHIVE_WRITE_FAILED' });
      return false;
    } finally {
      store.failWrite(undefined);
    }
  };
  return { store, quarantine, archive, deliver };
};

/** Every archived line, over every object, with the key it was found under. */
async function archivedLines(store: ArchiveStore): Promise<{ key: string; line: string }[]> {
  const found: { key: string; line: string }[] = [];
  for await (const key of store.list('raw/')) for (const l of await store.read(key)) found.push({ key, line: l });
  return found;
}

async function expectExactlyOnce(store: ArchiveStore, records: readonly SourceRecord[]): Promise<void> {
  const found = await archivedLines(store);
  const expected = records.flatMap((r) => r.readings.map(line));
  expect(found.map((f) => f.line).sort()).toEqual([...expected].sort());
  for (const { key, line: l } of found) {
    const { dt, hour } = partitionOf(Date.parse(`${(JSON.parse(l) as { StatusTime: string }).StatusTime.replace(' ', 'T')}Z`));
    expect(key.startsWith(`raw/dt=${dt}/hour=${hour}/`)).toBe(true);
  }
}

async function cleanQuarantine(records: readonly SourceRecord[]) {
  const { quarantine, deliver } = setup();
  await deliver(records, [0, records.length]);
  return quarantine.objects();
}

type Step = readonly [from: number, to: number, failingWrite?: number];

describe('ArchiveReadings: the key rule', () => {
  it('makes one object per (event-time hour, shard), keyed by the first record of the group in the batch', () => {
    const at = (h: number, s: number) => reading('Shadowfax', T0 + h * HOUR + s * 1000);
    const groups = groupByHourAndShard([
      { reading: at(1, 0), shardId: SHARD, sequenceNumber: '7' },
      { reading: at(0, 1), shardId: SHARD, sequenceNumber: '8' },
      { reading: at(1, 2), shardId: SHARD, sequenceNumber: '8' },
      { reading: at(0, 3), shardId: 'shardId-000000000001', sequenceNumber: '9' },
      { reading: at(0, 4), shardId: SHARD, sequenceNumber: '10' },
    ]);
    expect(groups.map((g) => [g.key, g.lines.length])).toEqual([
      ['raw/dt=2026-11-22/hour=10/shardId-000000000000~3A7.json.gz', 2],
      ['raw/dt=2026-11-22/hour=09/shardId-000000000000~3A8.json.gz', 2],
      ['raw/dt=2026-11-22/hour=09/shardId-000000000001~3A9.json.gz', 1],
    ]);
    expect(groups[0]?.lines).toEqual([line(at(1, 0)), line(at(1, 2))]);
  });

  it('partitions by event time, not by arrival: a reading from yesterday goes to yesterday', () => {
    const late = reading('Bucephalus', Date.UTC(2026, 10, 21, 23, 59, 59, 999));
    expect(groupByHourAndShard([{ reading: late, shardId: SHARD, sequenceNumber: '1' }])[0]?.key)
      .toBe('raw/dt=2026-11-21/hour=23/shardId-000000000000~3A1.json.gz');
  });

  it('writes nothing for a batch of poison records only, and keeps each of them', async () => {
    const { store, quarantine, archive } = setup();
    const result = await archive.execute(batchOf([STREAM[3]!, STREAM[8]!]));
    expect(result).toEqual({ objects: [], readingsArchived: 0, recordsQuarantined: 2 });
    expect(store.inner.keys()).toEqual([]);
    expect([...quarantine.objects().keys()]).toEqual([
      'rejected/dt=2026-11-22/hour=11/shardId-000000000000~3A1003.json.gz',
      'rejected/dt=2026-11-22/hour=11/shardId-000000000000~3A1008.json.gz',
    ]);
  });
});

describe('ArchiveReadings: exactly once under redelivery, retries and bisection', () => {
  const scenarios: readonly (readonly [string, readonly Step[]])[] = [
    ['one clean delivery', [[0, 12]]],
    ['redelivery of the same batch', [[0, 12], [0, 12]]],
    ['a failed batch retried whole', [[0, 12, 0], [0, 12]]],
    ['a retry with extra records appended', [[0, 8, 0], [0, 12]]],
    ['a shorter retry, the rest left to the next batch', [[0, 12, 0], [0, 5], [5, 12]]],
    ['a shorter retry that fails again, then shorter still', [[0, 12, 0], [0, 8, 1], [0, 2], [2, 12]]],
    ['bisection into halves', [[0, 12, 0], [0, 6], [6, 12]]],
    ['bisection into halves of halves', [[0, 12, 0], [0, 6, 0], [0, 3], [3, 6], [6, 12, 0], [6, 9], [9, 12]]],
    ['bisection down to single records', [[0, 4, 0], [0, 2, 0], [0, 1], [1, 2], [2, 4, 0], [2, 3], [3, 4], [4, 12]]],
    ['the last write failing, then a redelivered success', [[0, 12, 3], [0, 12], [0, 12]]],
  ];

  it.each(scenarios)('%s: every reading is in exactly one object', async (_name, steps) => {
    const { store, deliver } = setup();
    for (const [from, to, failAfter] of steps) {
      expect(await deliver(STREAM, [from, to], failAfter)).toBe(failAfter === undefined);
    }
    await expectExactlyOnce(store, STREAM);
  });

  it.each(scenarios)('%s: the quarantine holds the same objects as after one clean delivery', async (_name, steps) => {
    const { quarantine, deliver } = setup();
    for (const [from, to, failAfter] of steps) await deliver(STREAM, [from, to], failAfter);
    expect(quarantine.objects()).toEqual(await cleanQuarantine(STREAM));
  });

  it('keeps the same object keys and bytes on redelivery', async () => {
    const { store, deliver } = setup();
    await deliver(STREAM, [0, 12]);
    const first = new Map(await Promise.all(store.inner.keys().map(async (k) => [k, await store.read(k)] as const)));
    await deliver(STREAM, [0, 12]);
    const second = new Map(await Promise.all(store.inner.keys().map(async (k) => [k, await store.read(k)] as const)));
    expect(second).toEqual(first);
  });

  it('fails the whole call when the quarantine cannot keep the rejects, and a retry keeps them', async () => {
    const { quarantine, archive, deliver } = setup();
    quarantine.failWith(new Error('AccessDenied'));
    await expect(archive.execute(batchOf(STREAM))).rejects.toMatchObject({ code: 'ARCHIVE_WRITE_FAILED', quarantineFailed: true });
    quarantine.failWith(undefined);
    expect(await deliver(STREAM, [0, 12])).toBe(true);
    expect(quarantine.objects()).toEqual(await cleanQuarantine(STREAM));
  });

  it('names the failed keys and keeps the store error as the cause', async () => {
    const { store, archive } = setup();
    store.failWrite(0);
    const failure = await archive.execute(batchOf(STREAM)).catch((error: unknown) => error as ArchiveWriteFailedError);
    expect(failure).toBeInstanceOf(ArchiveWriteFailedError);
    expect((failure as ArchiveWriteFailedError).failedKeys).toEqual([groupByHourAndShard(batchOf(STREAM).readings)[0]?.key]);
    expect((failure as ArchiveWriteFailedError).cause).toMatchObject({ name: 'SlowDown' });
    expect((failure as ArchiveWriteFailedError).message).toMatch(/^archive batch failed: 1 archive object\(s\) not written/);
  });

  /**
   * The mapping, modelled: batches start at the checkpoint with any size; a failed one is retried from the same
   * checkpoint with fewer or more records, or bisected (halves are retried as they are, or bisected again); a
   * successful one may be delivered again. Whatever the mapping chooses, each reading ends up in one object.
   */
  it('holds for any sequence of batch sizes, failures, retries and bisections (property)', async () => {
    const records = fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }), { minLength: 1, maxLength: 20 });
    const tape = fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 80 });
    await fc.assert(fc.asyncProperty(records, tape, async (hours, choices) => {
      const stream = shardOf(hours);
      const { store, quarantine, deliver } = setup();
      let i = 0;
      const pick = (n: number): number => (choices[i++ % choices.length] ?? 0) % n;
      let failuresLeft = 12;
      const attempt = async (from: number, to: number): Promise<boolean> => {
        const fail = failuresLeft > 0 && pick(3) === 0;
        if (fail) failuresLeft--;
        const ok = await deliver(stream, [from, to], fail ? pick(4) : undefined);
        if (ok && pick(5) === 0) await deliver(stream, [from, to]);
        return ok;
      };
      /** A batch that may not grow or shrink (a bisected half): retried as it is, or bisected again. */
      const settle = async (from: number, to: number): Promise<void> => {
        while (!(await attempt(from, to))) {
          if (to - from > 1 && pick(2) === 0) {
            const mid = from + Math.ceil((to - from) / 2);
            await settle(from, mid);
            await settle(mid, to);
            return;
          }
        }
      };
      let checkpoint = 0;
      while (checkpoint < stream.length) {
        let to = checkpoint + 1 + pick(stream.length - checkpoint);
        while (!(await attempt(checkpoint, to))) {
          const choice = pick(3);
          if (choice === 0) to = checkpoint + 1 + pick(stream.length - checkpoint); // retried shorter or longer
          else if (choice === 1 && to - checkpoint > 1) {
            const mid = checkpoint + Math.ceil((to - checkpoint) / 2);
            await settle(checkpoint, mid);
            await settle(mid, to);
            break;
          }
        }
        checkpoint = to;
      }
      await expectExactlyOnce(store, stream);
      expect(quarantine.objects()).toEqual(await cleanQuarantine(stream));
    }), { numRuns: 150 });
  });
});

describe('ArchiveReadings: what each line holds', () => {
  it('writes each reading as the workshop record, in batch order', async () => {
    const { store, archive } = setup();
    const readings = [reading('Shadowfax', T0 + 2000, 12.5), reading('Ünicörn 🦄', T0 + 1000)];
    await archive.execute({ readings: readings.map((r, i) => ({ reading: r, shardId: SHARD, sequenceNumber: String(i) })), rejected: [] });
    const [key] = store.inner.keys();
    expect(await store.read(key!)).toEqual([
      `{"Distance":12.5,"HealthPoints":150,"Latitude":40.75,"Longitude":-73.98,"MagicPoints":150,"Name":"Shadowfax","StatusTime":"${formatStatusTime(T0 + 2000)}"}`,
      line(readings[1]!),
    ]);
  });
});
