import { gunzipSync, gzipSync } from 'node:zlib';

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
