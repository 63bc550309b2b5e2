import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { batchItemFailures, decodeKinesisEvent, kinesisSourcePosition } from '@wildrydes/adapters';
import type { ArchiveReadings } from './archive-readings.use-case';

export interface ArchiveReadingsHandlerDependencies {
  readonly archiveReadings: ArchiveReadings;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => number;
}

/** The shard is the part of the record's position before its sequence number (the same rule the quarantine keys use). */
const shardOf = (record: KinesisStreamRecord): string =>
  kinesisSourcePosition(record).slice(0, -(record.kinesis.sequenceNumber.length + 1));

/**
 * The Kinesis handler on `wildrydes`: decode, archive, quarantine. It never reports batch item failures,
 * although the mapping has ReportBatchItemFailures on (every stream mapping does, see DESIGN.md): an object
 * holds a whole (hour, shard) group, so a checkpoint moved past part of a batch would leave a group's object
 * keyed by a record the next batch no longer starts with. Any failed write throws instead, and the mapping
 * retries or bisects the same batch (docs/adr/0006-archive-keys.md).
 */
export function createArchiveReadingsHandler(deps: ArchiveReadingsHandlerDependencies) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const decoded = decodeKinesisEvent(event, deps.clock());
    const shardBySequence = new Map(event.Records.map((record) => [record.kinesis.sequenceNumber, shardOf(record)]));
    try {
      const result = await deps.archiveReadings.execute({
        readings: decoded.readings.map(({ reading, sequenceNumber }) => ({
          reading, sequenceNumber, shardId: shardBySequence.get(sequenceNumber) ?? 'shard',
        })),
        rejected: decoded.quarantined,
      });
      deps.metrics.addMetric('ReadingsArchived', MetricUnit.Count, result.readingsArchived);
      deps.metrics.addMetric('ArchiveObjectsWritten', MetricUnit.Count, result.objects.length);
      deps.metrics.addMetric('RecordsQuarantined', MetricUnit.Count, result.recordsQuarantined);
      return batchItemFailures([]);
    } catch (error) {
      deps.logger.error('archive batch failed; the whole batch will be retried', error as Error);
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
