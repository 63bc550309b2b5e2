/** A minute summary as a line of the workshop's summary file gave it (`shadowfax-2016-02-12.json`). */
export interface ImportedMinuteSummary {
  readonly Name: string;
  /** As given in the file (the workshop's `YYYY-MM-DD HH:MM:SS.mmm`, or ISO 8601 with a zone). */
  readonly StatusTime: string;
  readonly Distance: number;
  readonly MinMagicPoints: number;
  readonly MaxMagicPoints: number;
  readonly MinHealthPoints: number;
  readonly MaxHealthPoints: number;
  /** `s3://bucket/key` of the file it came from. */
  readonly ImportedFrom: string;
}

/**
 * Keeps summaries imported from uploaded files in the summaries table `UnicornSensorData`, many at a time.
 * Importing a summary again replaces it; live readings of the same minute later replace it too.
 */
export interface ImportedSummaryStore {
  putImported(summaries: readonly ImportedMinuteSummary[]): Promise<{ readonly written: number }>;
}
