import { describe, expect, it } from 'vitest';
import { InMemoryQuarantine } from '@wildrydes/test-kit';
import type { PutOutcome, TelemetryRecord } from '@wildrydes/domain';
import { InMemoryImportReportStore } from '@wildrydes/test-kit';
import { InMemoryImportedSummaryStore } from '@wildrydes/test-kit';
import { InMemoryUploadedFileSource } from '@wildrydes/test-kit';
import { ImportTelemetryFile } from './import-telemetry-file.use-case';
import { CountingTelemetryStream } from '@wildrydes/test-kit';
import { generatedReadingChunks } from '@wildrydes/test-kit';

const FILE_BYTES = 50 * 1024 * 1024;
const MiB = 1024 * 1024;

/** Samples the heap at every stream put (once per chunk of lines): the peak while the import runs. */
class HeapSamplingStream extends CountingTelemetryStream {
  peakHeapUsed = 0;
  /** Buffers live outside the JS heap: chunks and record bytes are counted here. */
  peakArrayBuffers = 0;

  override async put(records: readonly TelemetryRecord[]): Promise<PutOutcome> {
    const usage = process.memoryUsage();
    this.peakHeapUsed = Math.max(this.peakHeapUsed, usage.heapUsed);
    this.peakArrayBuffers = Math.max(this.peakArrayBuffers, usage.arrayBuffers);
    return super.put(records);
  }
}

describe('ImportTelemetryFile on a big file', () => {
  it('streams ~50 MB of readings in chunks with bounded memory', async () => {
    const file = generatedReadingChunks(FILE_BYTES);
    const source = new InMemoryUploadedFileSource();
    source.put('wildrydes-data', 'uploads/big.ndjson', file.chunks);
    const stream = new HeapSamplingStream();
    const importer = new ImportTelemetryFile(source, stream, new InMemoryImportedSummaryStore(), new InMemoryQuarantine(), new InMemoryImportReportStore(), {
    });

    const before = process.memoryUsage().heapUsed;
    const startedAt = performance.now();
    const report = await importer.execute({ bucket: 'wildrydes-data', key: 'uploads/big.ndjson', eventTime: Date.UTC(2026, 10, 24) });
    const seconds = (performance.now() - startedAt) / 1000;
    const growth = stream.peakHeapUsed - before;

    console.log(
      `big-file import: ${(FILE_BYTES / MiB).toFixed(0)} MiB, ${report.linesRead} lines in ${seconds.toFixed(2)} s ` +
      `= ${Math.round(report.linesRead / seconds)} lines/s (${(FILE_BYTES / MiB / seconds).toFixed(1)} MiB/s); ` +
      `heap before ${(before / MiB).toFixed(1)} MiB, peak ${(stream.peakHeapUsed / MiB).toFixed(1)} MiB, growth ${(growth / MiB).toFixed(1)} MiB; ` +
      `array buffers peak ${(stream.peakArrayBuffers / MiB).toFixed(1)} MiB; ` +
      `${stream.calls} puts, largest ${stream.largestCall} records`,
    );
    expect(report).toMatchObject({ status: 'imported', linesRejected: 0, readingsSent: file.lines(), linesRead: file.lines() });
    expect(stream.largestCall).toBeLessThanOrEqual(500);
    // Generous: the file is 50 MiB; holding it (or its records) would pass this bound several times over.
    expect(growth).toBeLessThan(48 * MiB);
    expect(stream.peakArrayBuffers).toBeLessThan(16 * MiB);
  });
});
