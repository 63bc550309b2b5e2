import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchItemFailures, decodeKinesisEvent, type DecodedKinesisEvent } from './kinesis-event-readings';

/** What every stream handler is given besides its use case. */
export interface HandlerTools {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/** What one batch came to: counts for the metrics, and the records to redeliver (none: the whole batch is done). */
export interface BatchOutcome {
  readonly counts: Readonly<Record<string, number>>;
  readonly failedSequenceNumbers?: Iterable<string>;
}

/**
 * The one skeleton of every Kinesis handler: decode (bad records become quarantine entries, never failures),
 * run the batch, publish its counts, and answer with the records to redeliver (ReportBatchItemFailures). An
 * unexpected error is logged and thrown, so the mapping retries or bisects the batch.
 */
export function kinesisBatchHandler(
  tools: HandlerTools,
  processBatch: (decoded: DecodedKinesisEvent, event: KinesisStreamEvent) => Promise<BatchOutcome>,
) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const outcome = await runKinesisBatch(tools, event, (decoded) => processBatch(decoded, event));
    return batchItemFailures(outcome.failedSequenceNumbers ?? []);
  };
}

/** Decode, process, count, and log-then-rethrow a failure: the part every stream handler shares. */
export async function runKinesisBatch<Outcome extends BatchOutcome>(
  tools: HandlerTools,
  event: KinesisStreamEvent,
  process: (decoded: DecodedKinesisEvent) => Promise<Outcome>,
): Promise<Outcome> {
  const decoded = decodeKinesisEvent(event, tools.clock());
  // Every line logged for this batch names it, so a log line, a trace and a failure-queue entry (which gives the
  // shard and sequence numbers) can be matched.
  tools.logger.appendKeys({ batch: batchKeys(decoded, event) });
  try {
    const outcome = await process(decoded);
    tools.metrics.addMetric('RecordsRejected', MetricUnit.Count, decoded.quarantined.length);
    for (const [name, value] of Object.entries(outcome.counts)) tools.metrics.addMetric(name, MetricUnit.Count, value);
    return outcome;
  } catch (error) {
    tools.logger.error('batch failed; the mapping will retry it', error as Error);
    throw error;
  } finally {
    tools.logger.removeKeys(['batch']);
    tools.metrics.publishStoredMetrics();
  }
}

/** The shard and the first and last sequence numbers of a batch: what identifies it in Kinesis and in the failure queue. */
export function batchKeys(decoded: DecodedKinesisEvent, event: KinesisStreamEvent): Record<string, string | number> {
  const first = decoded.sequenceNumbers[0];
  const last = decoded.sequenceNumbers[decoded.sequenceNumbers.length - 1];
  return {
    shardId: decoded.shardId,
    records: event.Records.length,
    ...(first === undefined ? {} : { firstSequenceNumber: first }),
    ...(last === undefined ? {} : { lastSequenceNumber: last }),
  };
}
