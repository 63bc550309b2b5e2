import type { KinesisStreamRecord } from 'aws-lambda';
import { kinesisBatchHandler, kinesisSourcePosition, type HandlerTools } from '@wildrydes/lambda-kit';
import type { ArchiveReadings } from './archive-readings.use-case';

/** The shard is the part of the record's position before its sequence number (the same rule the quarantine keys use). */
const shardOf = (record: KinesisStreamRecord): string =>
  kinesisSourcePosition(record).slice(0, -(record.kinesis.sequenceNumber.length + 1));

/**
 * The Kinesis handler on `wildrydes`: archive, quarantine. It never reports batch item failures, although the
 * mapping has ReportBatchItemFailures on (every stream mapping does): an object holds a whole (hour, shard)
 * group, so a checkpoint moved past part of a batch would leave a group's object keyed by a record the next
 * batch no longer starts with. Any failed write throws instead, and the mapping retries or bisects the same
 * batch (docs/adr/0006-archive-keys.md).
 */
export function createArchiveReadingsHandler(deps: HandlerTools & { readonly archiveReadings: ArchiveReadings }) {
  return kinesisBatchHandler(deps, async (decoded, event) => {
    const shardBySequence = new Map(event.Records.map((record) => [record.kinesis.sequenceNumber, shardOf(record)]));
    const result = await deps.archiveReadings.execute({
      readings: decoded.readings.map(({ reading, sequenceNumber }) => ({
        reading, sequenceNumber, shardId: shardBySequence.get(sequenceNumber) ?? 'shard',
      })),
      rejected: decoded.quarantined,
    });
    return {
      counts: { ReadingsArchived: result.readingsArchived, ArchiveObjectsWritten: result.objects.length, RecordsQuarantined: result.recordsQuarantined },
    };
  });
}
