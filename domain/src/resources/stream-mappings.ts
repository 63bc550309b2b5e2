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
  /**
   * Lambda tumbling window (at most 900 s): the handler keeps a state across the invocations of a window and gets a
   * final invocation at its end. Absent: every invocation stands alone.
   */
  readonly tumblingWindowSeconds?: number;
}

export type StreamServiceName = 'health' | 'aggregation' | 'archival';

export const STREAM_MAPPINGS: Readonly<Record<StreamServiceName, StreamMappingSettings>> = {
  // No batching window: alerts are the "now" path, so each poll's records go at once (Lambda polls a shard about
  // once a second, so invocations stay about one a second per shard). Batches up to 10,000 let a lagging shard catch
  // up in few invocations (docs/adr/0010). Health writes only on transitions: invocations cost no table writes.
  health: { batchSize: 10_000, maxBatchingWindowSeconds: 0, retryAttempts: 5, maxRecordAgeSeconds: 3600 },
  // Tumbling windows of 15 min (the most Lambda allows): open minutes live in the window's state and each minute is
  // written once, when it closes (docs/adr/0008), so the batching window no longer drives table writes; 20 s keeps
  // invocations few, at the price of up to 20 s before a closed minute is emitted.
  aggregation: { batchSize: 10_000, maxBatchingWindowSeconds: 20, retryAttempts: 5, maxRecordAgeSeconds: 3600, tumblingWindowSeconds: 900 },
  // Long window: each batch becomes S3 objects, so 20 s makes fewer, larger objects (fewer PUTs, fewer files per
  // Athena query). The archive is the cold path; nobody waits on it.
  archival: { batchSize: 10_000, maxBatchingWindowSeconds: 20, retryAttempts: 5, maxRecordAgeSeconds: 3600 },
};
