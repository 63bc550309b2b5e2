import { describe, expect, it } from 'vitest';
import { capacityChartSvg, niceCeiling, shortCount } from './capacity-chart';
import { aCapacityRow, aPackedRow } from './capacity-row.mother';

describe('capacityChartSvg', () => {
  const rows = [
    aCapacityRow({ unicorns: 1_000 }),
    aCapacityRow({ unicorns: 10_000, alertP99Ms: 3_000 }),
    aPackedRow(10_000),
    aPackedRow(100_000, { alertP99Ms: null }),
  ];

  it('draws both panels with one line per mode, the goal and a log N axis', () => {
    // Act
    const svg = capacityChartSvg(rows);

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Alert latency p99');
    expect(svg).toContain('Highest lag of any service');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('goal 2 s');
    for (const label of ['1k', '10k', '100k']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('packed (×25 readings/record)');
    // A row with no alert has no p99 point, but still a lag point.
    expect(svg).toContain('<title>packed N=100000: 4 s</title>');
    expect(svg).not.toContain('<title>packed N=100000: NaN');
  });

  it('is the same for the same rows', () => {
    expect(capacityChartSvg(rows)).toBe(capacityChartSvg([...rows]));
  });

  it('puts a single fleet size in the middle, and says so when there are no rows', () => {
    expect(capacityChartSvg([aCapacityRow()])).toMatch(/<circle cx="210"/);
    expect(capacityChartSvg([])).toContain('no capacity rows yet');
  });
});

describe('chart helpers', () => {
  it.each([[0, 1], [1, 1], [1.2, 2], [3, 5], [7, 10], [23.5, 50], [100, 100]])('niceCeiling(%d) = %d', (value, expected) => {
    expect(niceCeiling(value)).toBe(expected);
  });

  it.each([[500, '500'], [1_000, '1k'], [2_500, '2.5k'], [100_000, '100k']])('shortCount(%d) = %s', (n, text) => {
    expect(shortCount(n)).toBe(text);
  });
});
