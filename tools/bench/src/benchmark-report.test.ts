import { describe, expect, it } from 'vitest';
import { renderBenchmarksMarkdown, type BenchmarkResults, type MachineInfo } from './benchmark-report';
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
