/** One minute of the summaries table, as far as counting goes. */
export interface LedgerMinute {
  readonly name: string;
  /** Start of the minute (epoch ms). */
  readonly windowStart: number;
  /** Readings counted in the minute; 0 for a summary imported from a file (it carries no count). */
  readonly readings: number;
  /** `s3://bucket/key` of the file a summary was imported from; undefined for a minute built from readings. */
  readonly importedFrom: string | undefined;
}

/** Minutes whose start is in [from, to) (epoch ms). */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** Reads the minutes of the summaries table `UnicornSensorData` in a time range, for reconciliation. */
export interface SummaryLedger {
  minutes(range: TimeRange): AsyncIterable<LedgerMinute>;
}
