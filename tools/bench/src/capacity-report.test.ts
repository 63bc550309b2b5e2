import { describe, expect, it } from 'vitest';
import { capacityCells, capacitySummary, largestPassing } from './capacity-report';
import { aCapacityRow, aPackedRow } from './capacity-row.mother';

describe('capacityCells', () => {
  it('prints a passing row', () => {
    expect(capacityCells(aCapacityRow())).toEqual([
      'unpacked', '1,000', '1,000', '950', '1.20/2.50/0.90', '3', '0.60/1.40', '1.40', '0', '0', '2,000 / 2,000', '0 of 1,000', 'PASS',
    ]);
  });

  it('gives the reasons of a failing row, and whether it passes from the send when packed', () => {
    const cells = capacityCells(aPackedRow(50_000));

    expect(cells[0]).toBe('packed ×25');
    expect(cells.at(-1)).toBe('FAIL: alert p99 23.5 s > 2 s (PASS from send)');
    expect(capacityCells(aPackedRow(50_000, { verdictFromSend: { pass: false, reasons: ['alert p99 2.004 s > 2 s'] } })).at(-1))
      .toBe('FAIL: alert p99 23.5 s > 2 s (from send: alert p99 2.004 s > 2 s)');
  });

  it('marks a run that did not drain and shows missing figures as –', () => {
    const cells = capacityCells(aCapacityRow({ drained: false, drainSeconds: 180, alertP50Ms: null, alertP99Ms: null, alertFromSendP99Ms: null }));

    expect(cells[5]).toBe('>180');
    expect(cells[6]).toBe('–/–');
    expect(cells[7]).toBe('–');
  });
});

describe('largestPassing and capacitySummary', () => {
  const rows = [
    aCapacityRow({ unicorns: 1_000 }),
    aCapacityRow({ unicorns: 2_500 }),
    aCapacityRow({ unicorns: 5_000, verdict: { pass: false, reasons: ['3 readings lost'] } }),
    aPackedRow(10_000),
    aPackedRow(25_000),
    aPackedRow(50_000, { verdictFromSend: { pass: false, reasons: ['not drained by the deadline'] } }),
  ];

  it('finds the largest passing N per mode, by either verdict', () => {
    expect(largestPassing(rows, 'unpacked')).toBe(2_500);
    expect(largestPassing(rows, 'packed')).toBeUndefined();
    expect(largestPassing(rows, 'packed', 'verdictFromSend')).toBe(25_000);
  });

  it('says it in one line per mode that ran', () => {
    expect(capacitySummary(rows)).toEqual([
      'unpacked: largest N passing goal 1: 2,500 (tried 1,000, 2,500, 5,000)',
      "packed: largest N passing goal 1: none (tried 10,000, 25,000, 50,000); judging alert latency from the reading's send instead: 25,000",
    ]);
    expect(capacitySummary(rows.slice(0, 1))).toHaveLength(1);
  });
});
