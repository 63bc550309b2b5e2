import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REJECTION_CODES } from '@wildrydes/domain';
import { AcceptTelemetry, ImportTelemetryFile } from '@wildrydes/ingestion';
import { decodeKinesisEvent } from '@wildrydes/lambda-kit';
import {
  InMemoryImportedSummaryStore, InMemoryImportReportStore, InMemoryQuarantine, InMemoryTelemetryStream, InMemoryUploadedFileSource, kinesisEvent,
} from '@wildrydes/test-kit';
import { corpusRecords, neighbour } from './corpus';

/** Arbitrary bytes, biased towards what breaks parsers: JSON punctuation, line breaks, a BOM, bytes past ASCII. */
const nastyBytes = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }),
  fc.array(fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', '\n', '\r', ' ', '\ufeff', 'Name', 'StatusTime', '1e999', '-0', 'null', '\u0000', '\ud800', 'é'), { minLength: 1, maxLength: 60 })
    .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
  fc.constantFrom(...corpusRecords().map((r) => new Uint8Array(r.bytes))),
);
const NOW = Date.UTC(2026, 5, 1);
const codes = new Set<string>(REJECTION_CODES);
const lineCount = (bytes: Uint8Array): number => Buffer.from(bytes).toString('utf8').split('\n').length;

describe('fuzzing every door with arbitrary bytes, valid neighbours beside them', () => {
  it('Kinesis (the decoding every stream service shares): the neighbours decode, each bad record is quarantined with a reason', () => {
    fc.assert(fc.property(fc.array(nastyBytes, { minLength: 1, maxLength: 12 }), (garbage) => {
      const records = garbage.flatMap((bytes, i) => [bytes, new Uint8Array(Buffer.from(neighbour(`K${i}`, i)))]);
      const decoded = decodeKinesisEvent(kinesisEvent(records), NOW);
      for (let i = 0; i < garbage.length; i++) expect(decoded.readings.some((r) => r.reading.name === `K${i}`)).toBe(true);
      for (const q of decoded.quarantined) for (const r of q.rejections) expect(codes.has(r.code)).toBe(true);
      // Every record holds a reading (garbage can happen to be valid only by chance) or is quarantined.
      const quarantinedPositions = new Set(decoded.quarantined.map((q) => q.sourcePosition));
      const readingSequences = new Set(decoded.readings.map((r) => r.sequenceNumber));
      kinesisEvent(records).Records.forEach((record) => {
        const position = `${record.eventID.split(':')[0]}:${record.kinesis.sequenceNumber}`;
        expect(quarantinedPositions.has(position) || readingSequences.has(record.kinesis.sequenceNumber)).toBe(true);
      });
    }), { numRuns: 300 });
  });

  it('HTTP: never throws; every non-blank line is accepted or quarantined with a reason; the neighbours go on the stream', async () => {
    await fc.assert(fc.asyncProperty(fc.array(nastyBytes, { minLength: 1, maxLength: 12 }), async (garbage) => {
      const stream = new InMemoryTelemetryStream();
      const quarantine = new InMemoryQuarantine();
      // HTTP takes UTF-8 bodies only (others are refused whole); the garbage is read as UTF-8 as a client would send it.
      const lines = garbage.flatMap((bytes, i) => [Buffer.from(bytes).toString('utf8'), neighbour(`H${i}`, i)]);
      const result = await new AcceptTelemetry(stream, quarantine).execute({ requestId: 'fuzz', receivedAt: NOW, text: lines.join('\n') });
      const names = new Set(stream.partitionKeys());
      for (let i = 0; i < garbage.length; i++) expect(names.has(`H${i}`)).toBe(true);
      expect(quarantine.rejectionCount()).toBe(result.rejected);
      expect(result.accepted + result.rejected).toBeLessThanOrEqual(lines.reduce((n, l) => n + l.split('\n').length, 0));
      for (const lines of quarantine.objects().values()) for (const line of lines) expect(codes.has(line.code)).toBe(true);
    }), { numRuns: 200 });
  });

  it('upload: never throws; a file of garbage and neighbours imports the neighbours and quarantines the rest by line', async () => {
    await fc.assert(fc.asyncProperty(fc.array(nastyBytes, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 64 }), async (garbage, chunkBytes) => {
      const source = new InMemoryUploadedFileSource(chunkBytes);
      const stream = new InMemoryTelemetryStream();
      const quarantine = new InMemoryQuarantine();
      const reports = new InMemoryImportReportStore();
      const parts = garbage.flatMap((bytes, i) => [Buffer.from(bytes), Buffer.from(`\n${neighbour(`U${i}`, i)}\n`)]);
      source.put('bucket', 'uploads/fuzz.ndjson', Buffer.concat(parts));
      const report = await new ImportTelemetryFile(source, stream, new InMemoryImportedSummaryStore(), quarantine, reports, {}).execute({ bucket: 'bucket', key: 'uploads/fuzz.ndjson', eventTime: NOW });
      const names = new Set(stream.partitionKeys());
      for (let i = 0; i < garbage.length; i++) expect(names.has(`U${i}`)).toBe(true);
      expect(report.linesRead).toBe(report.blankLines + report.readingsSent + report.summariesWritten + report.linesRejected);
      expect(quarantine.rejectionCount()).toBe(report.linesRejected);
      expect(report.linesRead).toBeLessThanOrEqual(garbage.reduce((n, b) => n + lineCount(b), 0) + 2 * garbage.length);
    }), { numRuns: 200 });
  });

  it('upload: arbitrary bytes named .gz are imported or refused whole with INVALID_GZIP, never half-sent, never thrown', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => {
      const source = new InMemoryUploadedFileSource(97);
      const stream = new InMemoryTelemetryStream();
      const quarantine = new InMemoryQuarantine();
      source.put('bucket', 'uploads/fuzz.ndjson.gz', bytes);
      const report = await new ImportTelemetryFile(source, stream, new InMemoryImportedSummaryStore(), quarantine, new InMemoryImportReportStore(), {}).execute({ bucket: 'bucket', key: 'uploads/fuzz.ndjson.gz', eventTime: NOW });
      expect(['imported', 'rejected']).toContain(report.status);
      if (report.status === 'rejected') {
        expect(report.fileRejection?.code).toBe('INVALID_GZIP');
        expect(stream.records()).toEqual([]);
        const [kept] = [...quarantine.objects().values()].flat();
        expect(Buffer.from(kept?.raw ?? '', 'base64').equals(Buffer.from(bytes))).toBe(true);
      }
    }), { numRuns: 200 });
  });
});
