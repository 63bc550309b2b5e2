import { describe, expect, it } from 'vitest';
import { BillingMeter } from './billing-meter';
import { emptyLambdaFunctionUsage, meterTotalsBetween, scaleServiceUsage } from './meter-totals';

describe('meterTotalsBetween', () => {
  it('leaves what was metered after the earlier snapshot, counter by counter', () => {
    // Prepare
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-health', 10, 512, 'health');
    const earlier = meter.snapshot();
    meter.recordInvocation('wildrydes-health', 20, 512, 'health');
    meter.recordInvocation('wildrydes-archival', 40, 1024, 'archival');
    meter.recordGetRecords('event-source-mappings', 'wildrydes', { records: 3, bytes: 300 });

    // Act
    const between = meterTotalsBetween(earlier, meter.snapshot());

    // Assess
    expect(between.services['health']?.lambda['wildrydes-health']).toEqual({ invocations: 1, billedDurationMs: 20, gbSeconds: expect.closeTo(0.01, 12) as number });
    expect(between.services['archival']?.lambda['wildrydes-archival']).toEqual({ invocations: 1, billedDurationMs: 40, gbSeconds: expect.closeTo(0.04, 12) as number });
    expect(between.services['event-source-mappings']?.kinesis['wildrydes']).toMatchObject({ getRecordsCalls: 1, recordsRead: 3, bytesRead: 300 });
  });

  it('is empty between a snapshot and itself, and keeps only the unmetered reasons that are new', () => {
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-health', 10, 512, 'health');
    const snapshot = { ...meter.snapshot(), unmetered: { calls: 1, reasons: ['old'] } };

    expect(meterTotalsBetween(snapshot, snapshot).services['health']?.lambda['wildrydes-health']).toEqual(emptyLambdaFunctionUsage());
    expect(meterTotalsBetween(snapshot, { ...snapshot, unmetered: { calls: 3, reasons: ['old', 'new'] } }).unmetered).toEqual({ calls: 2, reasons: ['new'] });
  });
});

describe('scaleServiceUsage', () => {
  it('multiplies every counter of the named labels by their factor and leaves the others', () => {
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-health', 10, 1024, 'health');
    meter.recordGetRecords('event-source-mappings', 'wildrydes', { records: 3, bytes: 300 });

    const scaled = scaleServiceUsage(meter.snapshot(), { health: 2.5 });

    expect(scaled.services['health']?.lambda['wildrydes-health']).toEqual({ invocations: 2.5, billedDurationMs: 25, gbSeconds: expect.closeTo(0.025, 12) as number });
    expect(scaled.services['event-source-mappings']?.kinesis['wildrydes']).toMatchObject({ getRecordsCalls: 1, recordsRead: 3, bytesRead: 300 });
  });

  it('refuses a factor that is not a finite number ≥ 0', () => {
    const meter = new BillingMeter();
    meter.recordInvocation('wildrydes-health', 10, 1024, 'health');

    for (const factor of [Infinity, Number.NaN, -1]) expect(() => scaleServiceUsage(meter.snapshot(), { health: factor })).toThrow(RangeError);
  });
});
