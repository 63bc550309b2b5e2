import type { PutOutcome, TelemetryRecord, TelemetryStream } from '@wildrydes/domain';

/** A stream that takes everything and keeps only counts: for measuring the importer's own memory. */
export class CountingTelemetryStream implements TelemetryStream {
  records = 0;
  calls = 0;
  largestCall = 0;

  async put(records: readonly TelemetryRecord[]): Promise<PutOutcome> {
    this.calls++;
    this.records += records.length;
    this.largestCall = Math.max(this.largestCall, records.length);
    return { accepted: records.length, rejected: [], throttled: 0 };
  }
}
