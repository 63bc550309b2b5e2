import { describe, expect, it } from 'vitest';
import { mergeCostRuns, renderBenchmarksMarkdown, type BenchmarkResults, type CostResults, type MachineInfo } from './benchmark-report';
import { aCapacityRow, aPackedRow } from './capacity-row.mother';

const machine: MachineInfo = { cpu: 'Example CPU @ 2.0GHz', cores: 2, memoryGiB: 23.4, node: 'v20.19.0', os: 'Linux 6.1.0 x64' };

const results: BenchmarkResults = {
  capacity: {
    unpacked: {
      date: '2026-12-02T20:30:00.000Z',
      command: 'npm run bench -- capacity --quick --n 1000',
      machine,
      durationSeconds: 60,
      allowedLatenessSeconds: 60,
      rows: [aCapacityRow()],
    },
    packed: {
      date: '2026-12-02T20:35:00.000Z',
      command: 'npm run bench -- capacity --quick --n 10000 --pack 25',
      machine,
      durationSeconds: 60,
      allowedLatenessSeconds: 60,
      rows: [aPackedRow(10_000)],
    },
  },
  cost: { date: '2026-12-02T20:40:00.000Z', command: 'npm run bench -- cost --quick', machine, unavailable: 'the billing meter is not available', runs: [] },
  domain: { date: '2026-12-02T20:41:00.000Z', command: 'npm run bench -- domain --quick', machine, exitCode: 0, output: 'decode: 0.75 M readings/s\n' },
};

describe('renderBenchmarksMarkdown', () => {
  const markdown = renderBenchmarksMarkdown(results);

  it('says when, how and on what each section ran', () => {
    expect(markdown).toContain('Last updated 2026-12-02 20:41:00 UTC.');
    expect(markdown).toContain(
      '- Unpacked rows: Run 2026-12-02 20:30:00 UTC with `npm run bench -- capacity --quick --n 1000` on Example CPU @ 2.0GHz, 2 cores, ' +
        '23.4 GiB memory, Node v20.19.0, Linux 6.1.0 x64. The producer ran 60 s per row.',
    );
  });

  it('has the capacity table, the verdict per mode, the lateness rule and the chart', () => {
    expect(markdown).toContain('| mode | N | sent/s |');
    expect(markdown).toContain('| unpacked | 1,000 | 1,000 | 950 | 1.20/2.50/0.90 | 3 | 0.60/1.40 | 1.40 | 0 | 0 | 2,000 / 2,000 | 0 of 1,000 | PASS |');
    expect(markdown).toContain('- unpacked: largest N passing goal 1: 1,000 (tried 1,000)');
    expect(markdown).toContain('| packed ×25 | 10,000 |');
    expect(markdown).toContain('- Packed rows: Run 2026-12-02 20:35:00 UTC with `npm run bench -- capacity --quick --n 10000 --pack 25`');
    expect(markdown).toContain('more than 15 s + 60 s allowed lateness');
    expect(markdown).toContain('![Alert p99 and highest lag against N](benchmarks-capacity.svg)');
  });

  it('says why the cost section has no figures, and quotes the domain benchmark', () => {
    expect(markdown).toContain('Not measured: the billing meter is not available');
    expect(markdown).toContain('```text\ndecode: 0.75 M readings/s\n```');
  });

  it('stands alone: no absolute paths, no links out of docs/', () => {
    expect(markdown).not.toMatch(/\/(work|home|tmp|Users)\//);
    expect(markdown).not.toContain('../');
  });

  it('renders an empty file when no section has run', () => {
    expect(renderBenchmarksMarkdown({})).toContain('No section has been run yet.');
  });
});

describe('mergeCostRuns', () => {
  const row = { metric: 'cost (flat)', value: 0.03, unit: 'USD per million readings' };
  const warmUp = { readings: 120_000, seconds: 120 };
  const earlier: CostResults = {
    date: '2026-12-03T06:34:00.000Z', command: 'npm run bench -- cost --n 1000', machine,
    runs: [{ unicorns: 1_000, pack: 1, readings: 300_000, seconds: 300, warmUp, rows: [row] }, { unicorns: 1_000, pack: 25, readings: 300_000, seconds: 300, warmUp, rows: [row] }],
  };
  const later: CostResults = {
    date: '2026-12-03T06:46:00.000Z', command: 'npm run bench -- cost --n 10000 --pack 25', machine,
    runs: [{ unicorns: 10_000, pack: 25, readings: 3_000_000, seconds: 300, rows: [row], measured: { date: '2026-12-03T06:46:00.000Z', command: 'npm run bench -- cost --n 10000 --pack 25' } }],
  };

  it('keeps the earlier runs of other fleets and modes, each with the command it was measured by, and prints where each came from', () => {
    // Act
    const merged = mergeCostRuns(earlier, later);
    const markdown = renderBenchmarksMarkdown({ cost: merged });

    // Assess
    expect(merged.runs.map((run) => [run.unicorns, run.pack, run.measured?.command])).toEqual([
      [1_000, 1, 'npm run bench -- cost --n 1000'],
      [1_000, 25, 'npm run bench -- cost --n 1000'],
      [10_000, 25, 'npm run bench -- cost --n 10000 --pack 25'],
    ]);
    expect(markdown).toContain('- unpacked, N = 1,000: Run 2026-12-03 06:34:00 UTC with `npm run bench -- cost --n 1000`');
    expect(markdown).toContain('Run 2026-12-03 06:46:00 UTC with `npm run bench -- cost --n 10000 --pack 25`');
  });

  it('says how long each fleet warmed up, the tumbling-window ends in its window and the services that fell behind in it', () => {
    const steady: CostResults = {
      ...later,
      runs: [
        { unicorns: 1_000, pack: 25, readings: 300_000, seconds: 300.4, warmUp: { readings: 120_000, seconds: 119.8 }, handled: { health: 1, aggregation: 0.998, archival: 1.001 }, windowEnds: { metered: 0 }, rows: [row] },
        { unicorns: 1_000, pack: 1, readings: 300_000, seconds: 300, warmUp, windowEnds: { metered: 1 }, rows: [row] },
        { unicorns: 10_000, pack: 25, readings: 3_000_000, seconds: 300, warmUp: { readings: 1_200_000, seconds: 120 }, handled: { health: 1, aggregation: 0.93, archival: 0.97 }, rows: [row] },
      ],
    };

    const markdown = renderBenchmarksMarkdown({ cost: steady });

    expect(markdown).toContain('- packed ×25, N = 1,000: 300,000 readings in the 300-s window, after 120 s of warm-up.');
    expect(markdown).toContain('- unpacked, N = 1,000: 300,000 readings in the 300-s window, after 120 s of warm-up; the window holds 1 end(s) of the 15-minute tumbling windows, each one write more per unicorn (3.3 WRU per 1,000 readings here, 1.1 averaged over 15 minutes).');
    expect(markdown).toContain('- packed ×25, N = 10,000: 3,000,000 readings in the 300-s window, after 120 s of warm-up; handled in the window: aggregation 93.0 %, archival 97.0 % of the readings sent (priced per reading handled).');
  });

  it('drops runs priced the old way (a baseline run subtracted) when new runs come in', () => {
    const old: CostResults = { ...earlier, runs: [{ unicorns: 1_334, pack: 25, readings: 400_000, seconds: 300, rows: [row] }] };

    expect(mergeCostRuns(old, later).runs.map((run) => run.unicorns)).toEqual([10_000]);
  });

  it('replaces an earlier run of the same fleet and mode', () => {
    const again: CostResults = { ...later, runs: [{ ...earlier.runs[0]!, readings: 1, measured: { date: later.date, command: later.command } }] };

    const merged = mergeCostRuns(earlier, again);

    expect(merged.runs.filter((run) => run.unicorns === 1_000 && run.pack === 1).map((run) => run.readings)).toEqual([1]);
  });
});
