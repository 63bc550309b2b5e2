/**
 * How each stream service's function reads `wildrydes`: the one table the CDK stacks deploy and the local
 * event-source-mapping runner follows, so a batch behaves the same on a laptop and on AWS.
 */
export interface StreamMappingSettings {
  /** Records per invocation (Kinesis allows up to 10,000). */
  readonly batchSize: number;
  /** How long records are gathered before an invocation, in seconds (at most 300). */
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch after bisecting. Bounded, so a poison record cannot stall its shard for the stream's whole retention. */
  readonly retryAttempts: number;
  /** Records older than this go to the failure queue instead of the handler (well inside the stream's 24 h). */
  readonly maxRecordAgeSeconds: number;
}

export type StreamServiceName = 'health' | 'aggregation' | 'archival';

export const STREAM_MAPPINGS: Readonly<Record<StreamServiceName, StreamMappingSettings>> = {
  // Short window: alerts are the "now" path. Health writes only on transitions, so a short window costs
  // invocations, not table writes.
  health: { batchSize: 500, maxBatchingWindowSeconds: 1, retryAttempts: 5, maxRecordAgeSeconds: 3600 },
  // Long window: every batch rewrites the summary item of each (unicorn, minute) it touches, so 20 s gathers ~20 of
  // a unicorn's readings into one rewrite instead of ~4 with 5 s.
  aggregation: { batchSize: 1000, maxBatchingWindowSeconds: 20, retryAttempts: 5, maxRecordAgeSeconds: 3600 },
  // Long window: each batch becomes S3 objects, so 20 s makes fewer, larger objects (fewer PUTs, fewer files per
  // Athena query). The archive is the cold path; nobody waits on it.
  archival: { batchSize: 1000, maxBatchingWindowSeconds: 20, retryAttempts: 5, maxRecordAgeSeconds: 3600 },
};
