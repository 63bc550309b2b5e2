import { gzipSync } from 'node:zlib';
import { formatStatusTime, SeededRandom } from '@wildrydes/domain';

/** Builders of uploaded files for tests ("object mothers"): the workshop's summary file, raw readings, big files. */

export const SHADOWFAX_DAY = Date.UTC(2016, 1, 12);
/** A time the test readings are in the past of (they start 2026-11-22 10:00 UTC). */
export const READINGS_START = Date.UTC(2026, 10, 22, 10, 0, 0);

/**
 * A file like the workshop's `shadowfax-2016-02-12.json`: one summary per minute of the day, `Shadowfax`,
 * StatusTime `2016-02-12 HH:MM:00.000`, Distance 1305–1324, magic 128–158, health 141–176, min ≤ max, in the
 * workshop's key order. Deterministic for a seed.
 */
export function shadowfaxSummaryLines(count = 1440, seed = 20160212): string[] {
  const random = new SeededRandom(seed);
  const between = (low: number, high: number): number => low + random.int(high - low + 1);
  return Array.from({ length: count }, (_, minute) => {
    const [minMagic, maxMagic] = [between(128, 158), between(128, 158)].sort((a, b) => a - b) as [number, number];
    const [minHealth, maxHealth] = [between(141, 176), between(141, 176)].sort((a, b) => a - b) as [number, number];
    return JSON.stringify({
      Name: 'Shadowfax',
      StatusTime: formatStatusTime(SHADOWFAX_DAY + minute * 60_000),
      Distance: between(1305, 1324),
      MinMagicPoints: minMagic,
      MaxMagicPoints: maxMagic,
      MinHealthPoints: minHealth,
      MaxHealthPoints: maxHealth,
    });
  });
}

/** One raw reading in the workshop producer's v2 shape (alphabetical keys). */
export function readingLine(name: string, time: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Distance: 29.5, HealthPoints: 150, Latitude: 40.749167, Longitude: -73.985184, MagicPoints: 150, Name: name, StatusTime: formatStatusTime(time), ...overrides,
  });
}

/** `count` readings of one unicorn, a second apart from READINGS_START. */
export function readingLines(count: number, name = 'Bucephalus', start = READINGS_START): string[] {
  return Array.from({ length: count }, (_, i) => readingLine(name, start + i * 1000));
}

export const ndjson = (lines: readonly string[], eol = '\n'): string => lines.map((line) => line + eol).join('');

export const gzipped = (text: string): Uint8Array => gzipSync(Buffer.from(text, 'utf8'));

/**
 * About `totalBytes` of raw readings (50 unicorns, one reading each per second from READINGS_START), generated
 * lazily chunk by chunk: the file is never held in memory, so a test can measure the importer's memory alone.
 */
export function generatedReadingChunks(totalBytes: number, chunkBytes = 64 * 1024): { chunks: () => AsyncGenerator<Uint8Array>; lines: () => number } {
  let produced = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let bytes = 0;
    let i = 0;
    while (bytes < totalBytes) {
      const parts: string[] = [];
      let size = 0;
      while (size < chunkBytes && bytes + size < totalBytes) {
        const line = readingLine(`Unicorn-${i % 50}`, READINGS_START + Math.floor(i / 50) * 1000, { MagicPoints: 100 + (i % 100) }) + '\n';
        parts.push(line);
        size += line.length;
        i++;
      }
      bytes += size;
      produced = i;
      yield Buffer.from(parts.join(''), 'utf8');
    }
  }
  return { chunks, lines: () => produced };
}
