/** One record for the telemetry stream: its partition key (the unicorn's name) and its bytes. */
export interface TelemetryRecord {
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface RejectedPut {
  readonly record: TelemetryRecord;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface PutOutcome {
  readonly accepted: number;
  /** Records the stream still refused after the adapter's retries; the caller decides whether that is fatal. */
  readonly rejected: readonly RejectedPut[];
  /** How many entries were throttled and retried along the way. */
  readonly throttled: number;
}

/** Puts telemetry records on a stream, retrying throttled entries; used by ingestion and the producer. */
export interface TelemetryStream {
  put(records: readonly TelemetryRecord[]): Promise<PutOutcome>;
}
