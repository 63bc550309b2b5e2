import { describe, expect, it } from 'vitest';
import { BenchError } from './bench.errors';
import { aCapacityRow } from './capacity-row.mother';
import { runCapacitySection, type CapacityPlan } from './capacity-section';
import type { BenchContext } from './load-run';

const plan = (unicorns: number, pack = 1): CapacityPlan =>
  ({ unicorns, pack, durationMs: 60_000, drainTimeoutMs: 90_000, seed: 1, allowedLatenessMs: 60_000 });
const context: BenchContext = { repoRoot: '.', endpointsFile: '.wildrydes/local.json', signal: new AbortController().signal, log: () => undefined };

describe('runCapacitySection', () => {
  it('reports a row whose stack did not start and measures the rows after it', async () => {
    // Prepare: the second plan's stack fails to start, as 143 shards did against a limit of 100
    const printed: string[] = [];
    const runRow = async (p: CapacityPlan) => {
      if (p.unicorns === 100_000) throw new BenchError('STACK_FAILED', 'npm start exited before it was ready (1):\n> start\nstart: unexpected error: LimitExceededException: shard limit');
      return aCapacityRow({ unicorns: p.unicorns, mode: p.pack > 1 ? 'packed' : 'unpacked', pack: p.pack });
    };

    // Act
    const rows = await runCapacitySection([plan(1_000), plan(100_000, 25), plan(2_000)], context, (text) => printed.push(text), runRow);

    // Assess
    expect(rows.map((row) => row.unicorns)).toEqual([1_000, 2_000]);
    expect(printed).toContain('N=100000 packed ×25: not measured, the stack did not start: start: unexpected error: LimitExceededException: shard limit');
    expect(printed.at(-2)).toBe('not measured (the stack did not start): N=100000 packed ×25');
  });

  it('stops at any other error', async () => {
    const runRow = async () => {
      throw new BenchError('INTERRUPTED', 'interrupted');
    };
    await expect(runCapacitySection([plan(1_000), plan(2_000)], context, () => undefined, runRow)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
