import { describe, expect, it } from 'vitest';
import { archiveObjectKey, type QuarantinedRecord, type Quarantine, type Rejection } from '@wildrydes/domain';
import type { QuarantineLine } from '@wildrydes/domain';

export interface QuarantineUnderTest {
  readonly quarantine: Quarantine;
  /** Every quarantine object kept so far, by key, its lines parsed. */
  objects(): Promise<Map<string, QuarantineLine[]>>;
}

/** A fresh, empty quarantine per call. */
export type QuarantineFactory = () => Promise<QuarantineUnderTest>;

const AT = Date.UTC(2025, 2, 14, 9, 26, 53, 589);

const badJson = (raw: string): Rejection => ({ code: 'INVALID_JSON', reason: 'not JSON: unexpected end of input', line: 0, raw });

/** A refused Kinesis record, identified by shard and sequence number. */
export const aQuarantinedRecord = (sequence: number, rejections: readonly Rejection[] = [badJson(`{"Name":"x${sequence}"`)], receivedAt = AT): QuarantinedRecord => ({
  sourcePosition: `shardId-000000000001:4960${sequence}`,
  receivedAt,
  rejections,
});

/** What the ingestion and archival services rely on: every refusal kept, findable by partition, once per record. */
export function describeQuarantineContract(name: string, factory: QuarantineFactory): void {
  describe(`Quarantine contract: ${name}`, () => {
    it('keeps nothing for an empty batch', async () => {
      // Prepare
      const subject = await factory();

      // Act
      await subject.quarantine.keep([]);

      // Assess
      expect(await subject.objects()).toEqual(new Map());
    });

    it('keeps a record as one object under rejected/ with one line per rejection', async () => {
      // Prepare
      const subject = await factory();
      const record = aQuarantinedRecord(1, [
        { code: 'MISSING_FIELD', reason: 'MagicPoints is missing', line: 1, raw: '{"Name":"Shadowfax"}' },
        { code: 'NEGATIVE_DISTANCE', reason: 'Distance must not be negative', line: 3, raw: '{"Name":"Ünicörn 🦄","Distance":-1}' },
      ]);

      // Act
      await subject.quarantine.keep([record]);

      // Assess
      expect(await subject.objects()).toEqual(new Map([[
        'rejected/dt=2025-03-14/hour=09/shardId-000000000001~3A49601.json.gz',
        [
          { sourcePosition: 'shardId-000000000001:49601', receivedAt: '2025-03-14T09:26:53.589Z', line: 1, code: 'MISSING_FIELD', reason: 'MagicPoints is missing', raw: '{"Name":"Shadowfax"}' },
          { sourcePosition: 'shardId-000000000001:49601', receivedAt: '2025-03-14T09:26:53.589Z', line: 3, code: 'NEGATIVE_DISTANCE', reason: 'Distance must not be negative', raw: '{"Name":"Ünicörn 🦄","Distance":-1}' },
        ],
      ]]));
    });

    it('partitions by the time each record was received', async () => {
      // Prepare
      const subject = await factory();
      const records = [
        aQuarantinedRecord(1, undefined, Date.UTC(2025, 0, 1, 0, 0, 0)),
        aQuarantinedRecord(2, undefined, Date.UTC(2024, 11, 31, 23, 59, 59, 999)),
        { sourcePosition: 'upload/fleet.ndjson#17', receivedAt: Date.UTC(2025, 0, 1, 13, 5), rejections: [badJson('oops')] },
      ];

      // Act
      await subject.quarantine.keep(records);

      // Assess
      const keys = [...(await subject.objects()).keys()].sort();
      expect(keys).toEqual(records.map((r) => archiveObjectKey('rejected', r.receivedAt, r.sourcePosition)).sort());
      expect(keys).toEqual([
        'rejected/dt=2024-12-31/hour=23/shardId-000000000001~3A49602.json.gz',
        'rejected/dt=2025-01-01/hour=00/shardId-000000000001~3A49601.json.gz',
        'rejected/dt=2025-01-01/hour=13/upload~2Ffleet.ndjson~2317.json.gz',
      ]);
    });

    it('keeps a retried batch once: the same records overwrite the same objects', async () => {
      // Prepare
      const subject = await factory();
      const batch = Array.from({ length: 30 }, (_, i) => aQuarantinedRecord(i));
      await subject.quarantine.keep(batch);
      const first = await subject.objects();

      // Act
      await subject.quarantine.keep(batch);
      await subject.quarantine.keep(batch.slice(10, 20));

      // Assess
      const again = await subject.objects();
      expect(again.size).toBe(30);
      expect(again).toEqual(first);
    });

    it('keeps nothing for a record without rejections', async () => {
      // Prepare
      const subject = await factory();

      // Act
      await subject.quarantine.keep([aQuarantinedRecord(1, [])]);

      // Assess
      expect(await subject.objects()).toEqual(new Map());
    });
  });
}
