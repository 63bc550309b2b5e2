import { describe, expect, it } from 'vitest';
import { BillingMeter } from '@wildrydes/local-aws';
import { MeteredWindow, pricedSpan, windowEndsBetween } from './cost-runs';
import type { StackStatus } from './local-stack-process';

describe('windowEndsBetween', () => {
  it('counts the 15-minute boundaries (epoch-aligned) a run lived through', () => {
    const quarter = Date.UTC(2026, 11, 3, 12, 0);
    expect(windowEndsBetween(quarter - 420_000, quarter - 1)).toBe(0);
    expect(windowEndsBetween(quarter - 60_000, quarter + 360_000)).toBe(1);
    expect(windowEndsBetween(quarter - 60_000, quarter + 900_000)).toBe(2);
    expect(windowEndsBetween(quarter + 10, quarter)).toBe(0);
  });
});

const status = (updatedAt: number, records: Readonly<Record<string, number>>, meter: unknown = { services: {}, unmetered: { calls: 0, reasons: [] } }): StackStatus => ({
  updatedAt, sent: 0, failed: 0, summariesEmitted: 0, alerts: 0, quarantinedRecords: 0, meter,
  services: Object.fromEntries(Object.entries(records).map(([service, count]) => [service, { invocations: 0, records: count, handlerMs: 0, iteratorAgeMs: 0, maxIteratorAgeMs: 0 }])),
});

describe('MeteredWindow', () => {
  it('opens at the first status sampled after the warm-up and closes at the first one the duration later', () => {
    const window = new MeteredWindow(60_000, 120_000);
    const t0 = 1_000_000;

    for (const since of [0, 30_000, 59_000, 61_000, 120_000, 180_000, 181_500, 182_500]) window.offer(status(t0 + since, {}), since);

    expect(window.opening?.updatedAt).toBe(t0 + 61_000);
    expect(window.closing?.updatedAt).toBe(t0 + 181_500);
  });

  it('skips statuses without a meter', () => {
    const window = new MeteredWindow(0, 10_000);

    window.offer({ ...status(5, {}), meter: undefined }, 100);
    window.offer(status(6, {}), 200);

    expect(window.opening?.updatedAt).toBe(6);
  });
});

describe('pricedSpan', () => {
  const rates = { readingsPerRecord: 25, readingsPerSecond: 1_000 };

  it('prices the units between two statuses over the readings sent, scaling up a service that handled fewer', () => {
    // Prepare: 60 s at 1,000 readings/s (2,400 records); aggregation handled 1,200 of them, the others all.
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-aggregation', 100, 1024, 'aggregation');
    const from = status(0, { health: 100, aggregation: 100, archival: 100 }, meter.snapshot());
    meter.recordInvocation('wildrydes-aggregation', 300, 1024, 'aggregation');
    meter.recordInvocation('wildrydes-health', 50, 1024, 'health');
    const to = status(60_000, { health: 2_500, aggregation: 1_300, archival: 2_500 }, meter.snapshot());

    // Act
    const span = pricedSpan(from, to, 60, rates);

    // Assess
    expect(span.readings).toBe(60_000);
    expect(span.records).toBe(2_400);
    expect(span.handled).toEqual({ health: 1, aggregation: 0.5, archival: 1 });
    expect(span.totals.services['aggregation']?.lambda['wildrydes-aggregation']).toMatchObject({ invocations: 2, billedDurationMs: 600 });
    expect(span.totals.services['health']?.lambda['wildrydes-health']).toMatchObject({ invocations: 1, billedDurationMs: 50 });
  });

  it('prices from the stack\'s start when there is no opening status', () => {
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-health', 40, 1024, 'health');

    const span = pricedSpan(undefined, status(10_000, { health: 400, aggregation: 400, archival: 400 }, meter.snapshot()), 10, rates);

    expect(span.handled).toEqual({ health: 1, aggregation: 1, archival: 1 });
    expect(span.totals.services['health']?.lambda['wildrydes-health']).toMatchObject({ invocations: 1, billedDurationMs: 40 });
  });

  it('refuses a window in which a service handled nothing', () => {
    const to = status(60_000, { health: 2_400, aggregation: 0, archival: 2_400 });

    expect(() => pricedSpan(undefined, to, 60, rates)).toThrow('no records handled by aggregation in the 60-s window');
  });
});
