import { describe, expect, it } from 'vitest';
import type { TelemetryRecord, TelemetryStream } from '@wildrydes/domain';
import { KINESIS_LIMITS } from '@wildrydes/domain';

export interface TelemetryStreamUnderTest {
  readonly stream: TelemetryStream;
  /**
   * What the stream holds, per partition key in stream order, once it holds `count` records. Callers check
   * emptiness by putting a sentinel after the puts under test, so no implementation has to prove a negative.
   */
  readBack(count: number): Promise<Map<string, Uint8Array[]>>;
}

/** A fresh, empty stream per call. */
export type TelemetryStreamFactory = () => Promise<TelemetryStreamUnderTest>;

const utf8 = new TextEncoder();
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export const aReadingRecord = (name: string, i: number): TelemetryRecord => ({
  partitionKey: name,
  data: utf8.encode(`${JSON.stringify({ Name: name, Seq: i, StatusTime: `2025-01-01 00:00:${String(i % 60).padStart(2, '0')}.000` })}\n`),
});

/** A record whose partition key plus data is exactly `bytes` long. */
export const aRecordOfSize = (partitionKey: string, bytes: number, fill = 0x61): TelemetryRecord => ({
  partitionKey,
  data: new Uint8Array(bytes - utf8.encode(partitionKey).byteLength).fill(fill),
});

/** The behaviour callers of a TelemetryStream rely on, whatever carries the records. */
export function describeTelemetryStreamContract(name: string, factory: TelemetryStreamFactory): void {
  describe(`TelemetryStream contract: ${name}`, () => {
    it('sends nothing for an empty list', async () => {
      // Prepare
      const subject = await factory();
      const sentinel = aReadingRecord('sentinel', 0);

      // Act
      const outcome = await subject.stream.put([]);
      await subject.stream.put([sentinel]);

      // Assess
      expect(outcome).toEqual({ accepted: 0, rejected: [], throttled: 0 });
      const held = await subject.readBack(1);
      expect([...held.keys()]).toEqual(['sentinel']);
    });

    it('takes 1,200 records (more than one PutRecords holds) and keeps each partition key in order', async () => {
      // Prepare
      const subject = await factory();
      const names = ['Shadowfax', 'Rocinante', 'Bucephalus', 'Pegasus', 'Epona', 'Silver', 'Binky'];
      const records = Array.from({ length: 1_200 }, (_, i) => aReadingRecord(names[i % names.length] as string, i));

      // Act
      const outcome = await subject.stream.put(records);

      // Assess
      expect(outcome).toEqual({ accepted: 1_200, rejected: [], throttled: 0 });
      const held = await subject.readBack(1_200);
      for (const name of names) {
        const expected = records.filter((record) => record.partitionKey === name).map((record) => decode(record.data));
        expect((held.get(name) ?? []).map(decode)).toEqual(expected);
      }
    });

    it('keeps bytes and Unicode partition keys exactly', async () => {
      // Prepare
      const subject = await factory();
      const binary: TelemetryRecord = { partitionKey: 'Ünicörn 🦄', data: Uint8Array.from([0, 255, 10, 13, 128, 0xc3, 0x28]) };

      // Act
      await subject.stream.put([binary]);

      // Assess
      const held = await subject.readBack(1);
      expect(held.get('Ünicörn 🦄')).toEqual([binary.data]);
    });

    it('rejects a record over 1 MiB (with its key) without sending it, and takes its neighbours', async () => {
      // Prepare
      const subject = await factory();
      const before = aReadingRecord('Shadowfax', 1);
      const oversize = aRecordOfSize('Rocinante', KINESIS_LIMITS.bytesPerRecord + 1);
      const after = aReadingRecord('Shadowfax', 2);

      // Act
      const outcome = await subject.stream.put([before, oversize, after]);

      // Assess
      expect(outcome.accepted).toBe(2);
      expect(outcome.rejected).toEqual([{ record: oversize, errorCode: 'RecordTooLarge', errorMessage: expect.stringContaining('1048577') }]);
      const held = await subject.readBack(2);
      expect([...held.keys()]).toEqual(['Shadowfax']);
      expect(held.get('Shadowfax')?.map(decode)).toEqual([decode(before.data), decode(after.data)]);
    });

    it('rejects an empty or over-long partition key without failing its neighbours', async () => {
      // Prepare
      const subject = await factory();
      const empty: TelemetryRecord = { partitionKey: '', data: utf8.encode('{}') };
      const tooLong: TelemetryRecord = { partitionKey: 'x'.repeat(257), data: utf8.encode('{}') };
      const fine = aReadingRecord('Epona', 1);

      // Act
      const outcome = await subject.stream.put([empty, fine, tooLong]);

      // Assess
      expect(outcome.accepted).toBe(1);
      expect(outcome.rejected.map((r) => [r.record, r.errorCode])).toEqual([[empty, 'InvalidPartitionKey'], [tooLong, 'InvalidPartitionKey']]);
      expect((await subject.readBack(1)).get('Epona')?.map(decode)).toEqual([decode(fine.data)]);
    });

    it('takes records of exactly 1 MiB, more of them than one 5 MiB call holds', async () => {
      // Prepare
      const subject = await factory();
      const records = Array.from({ length: 6 }, (_, i) => aRecordOfSize('Pegasus', KINESIS_LIMITS.bytesPerRecord, 0x30 + i));

      // Act
      const outcome = await subject.stream.put(records);

      // Assess
      expect(outcome).toEqual({ accepted: 6, rejected: [], throttled: 0 });
      const held = await subject.readBack(6);
      expect(held.get('Pegasus')?.map((data) => [data.byteLength, data[0]])).toEqual(
        records.map((record) => [record.data.byteLength, record.data[0]]),
      );
    });
  });
}
