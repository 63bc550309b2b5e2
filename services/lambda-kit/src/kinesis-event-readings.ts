import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { decodeRecord, type QuarantinedRecord, type Reading, type ReadingLimits } from '@wildrydes/domain';

/** A reading with the Kinesis record it came from, so a failure can be reported against that record. */
export interface SourcedReading {
  readonly reading: Reading;
  readonly sequenceNumber: string;
  /** When its record reached the stream (Kinesis' approximate arrival time, epoch ms). */
  readonly arrivedAt: number;
}

export interface DecodedKinesisEvent {
  readonly readings: SourcedReading[];
  /** Records (or lines of records) the decoder refused, ready for the quarantine. */
  readonly quarantined: QuarantinedRecord[];
  /** Every record's sequence number, in event order. */
  readonly sequenceNumbers: string[];
  /** The shard the batch came from (Lambda never mixes shards in one batch). */
  readonly shardId: string;
}

/** A record's stable position: the same record redelivered has the same position, so its quarantine object is overwritten. */
export const kinesisSourcePosition = (record: KinesisStreamRecord): string =>
  `${kinesisShardId(record)}:${record.kinesis.sequenceNumber}`;

/** A record's shard, from its event id (`shardId-000000000000:<sequence number>`). */
export const kinesisShardId = (record: KinesisStreamRecord): string => record.eventID.split(':')[0] || 'shard';

/**
 * Decodes a Lambda Kinesis event into readings: base64, then UTF-8 (never ASCII, the workshop's defect),
 * one or more newline-delimited readings per record. Bad records or lines become quarantine entries with
 * their reasons; they never fail the batch.
 */
export function decodeKinesisEvent(event: KinesisStreamEvent, now: number, limits?: ReadingLimits): DecodedKinesisEvent {
  const readings: SourcedReading[] = [];
  const quarantined: QuarantinedRecord[] = [];
  const sequenceNumbers: string[] = [];
  const options = limits === undefined ? { now } : { now, limits };
  for (const record of event.Records) {
    const { sequenceNumber, data, approximateArrivalTimestamp } = record.kinesis;
    sequenceNumbers.push(sequenceNumber);
    const decoded = decodeRecord(Buffer.from(data, 'base64'), options);
    const arrivedAt = Math.round(approximateArrivalTimestamp * 1000);
    for (const reading of decoded.readings) readings.push({ reading, sequenceNumber, arrivedAt });
    if (decoded.rejections.length > 0) {
      quarantined.push({
        sourcePosition: kinesisSourcePosition(record),
        receivedAt: Math.round(approximateArrivalTimestamp * 1000),
        rejections: decoded.rejections,
      });
    }
  }
  const first = event.Records[0];
  return { readings, quarantined, sequenceNumbers, shardId: first === undefined ? 'shard' : kinesisShardId(first) };
}

/** The Lambda response that makes the mapping retry from the earliest failed record (ReportBatchItemFailures). */
export function batchItemFailures(failedSequenceNumbers: Iterable<string>): { batchItemFailures: { itemIdentifier: string }[] } {
  return { batchItemFailures: [...new Set(failedSequenceNumbers)].map((itemIdentifier) => ({ itemIdentifier })) };
}
