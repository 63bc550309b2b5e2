import { gunzipSync, gzipSync } from 'node:zlib';
import { ArchiveLineBreakError } from './archive-store.errors';

/** Refuses lines that would not survive the round trip (shared by the S3 adapter and the in-memory fake). */
export function assertNdjsonLines(key: string, lines: readonly string[]): void {
  const index = lines.findIndex((line) => line.includes('\n'));
  if (index >= 0) throw new ArchiveLineBreakError(key, index);
}

/** Each line followed by '\n', gzipped. */
export function encodeNdjsonGzip(lines: readonly string[]): Buffer {
  return gzipSync(Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8'));
}

export function decodeNdjsonGzip(body: Uint8Array): string[] {
  const text = gunzipSync(body).toString('utf8');
  if (text === '') return [];
  const lines = text.split('\n');
  // Every line ends in '\n', so the last piece is the empty tail; a file without it (written elsewhere) keeps it.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
