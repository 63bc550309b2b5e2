import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A line of an uploaded file whose bytes are not valid UTF-8: kept (lossily decoded) so it can be quarantined. */
export interface InvalidUtf8Line {
  readonly invalidUtf8: string;
}

/**
 * One line of an uploaded file, without its line break (`\n` or `\r\n`). Every physical line is yielded, blank
 * ones included, so the n-th item is line n.
 */
export type UploadedLine = string | InvalidUtf8Line;

export const isInvalidUtf8Line = (line: UploadedLine): line is InvalidUtf8Line => typeof line !== 'string';

/**
 * Longest line kept, in bytes. Anything longer is cut here (the rest of the line is skipped unread into memory),
 * and the decoder refuses it as LINE_TOO_LARGE: its limit (16,384 characters) is below what 64 KiB decodes to.
 */
export const MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;

/**
 * Splits a byte stream into lines with bounded memory: at most one chunk and one partial line (≤ maxLineBytes)
 * are held. Runs of complete lines that are valid UTF-8 are decoded in one call (the fast path); a run that is
 * not is decoded line by line, and each invalid line is yielded as `{ invalidUtf8 }`. A UTF-8 byte-order mark
 * at the start of the file and a `\r` before each `\n` are dropped.
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<UploadedLine, void, undefined> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overflowed = false;
  let first = true;
  const keep = (bytes: Buffer): void => {
    const room = maxLineBytes - carryBytes;
    if (bytes.length > room) overflowed = true;
    if (room <= 0) return;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    carry.push(part);
    carryBytes += part.length;
  };
  const takeCarry = (): UploadedLine => {
    const bytes = carry.length === 1 ? (carry[0] as Buffer) : Buffer.concat(carry);
    // A cut line may end inside a character: decode it lossily, it is refused as too large anyway.
    const line = overflowed ? withoutCr(bytes.toString('utf8')) : decodeLine(bytes);
    carry = [];
    carryBytes = 0;
    overflowed = false;
    return line;
  };
  const bomless = (line: UploadedLine): UploadedLine => {
    if (!first) return line;
    first = false;
    return typeof line === 'string' && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  };

  for await (const piece of chunks) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    const firstBreak = chunk.indexOf(LF);
    if (firstBreak === -1) {
      keep(chunk);
      continue;
    }
    let start = 0;
    if (carryBytes > 0 || overflowed) {
      keep(chunk.subarray(0, firstBreak));
      yield bomless(takeCarry());
      start = firstBreak + 1;
    }
    const lastBreak = chunk.lastIndexOf(LF);
    if (lastBreak >= start) {
      for (const line of linesOf(chunk.subarray(start, lastBreak))) yield bomless(line);
      start = lastBreak + 1;
    }
    // Copied, so the partial line does not pin the whole chunk.
    if (start < chunk.length) keep(Buffer.from(chunk.subarray(start)));
  }
  if (carryBytes > 0 || overflowed) yield bomless(takeCarry());
}

/** The lines of a run of complete lines (no trailing `\n`). */
function* linesOf(block: Buffer): Generator<UploadedLine, void, undefined> {
  if (isUtf8(block)) {
    const text = block.toString('utf8');
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) {
        yield withoutCr(text.slice(start));
        return;
      }
      yield withoutCr(text.slice(start, end));
      start = end + 1;
    }
  }
  let start = 0;
  for (;;) {
    const end = block.indexOf(LF, start);
    yield decodeLine(block.subarray(start, end === -1 ? block.length : end));
    if (end === -1) return;
    start = end + 1;
  }
}

function decodeLine(bytes: Buffer): UploadedLine {
  const text = withoutCr(bytes.toString('utf8'));
  return isUtf8(bytes) ? text : { invalidUtf8: text };
}

const withoutCr = (line: string): string => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);

/**
 * Gunzips a byte stream as it is read (multi-member files included). An error on either side — a corrupt
 * file, a dropped connection — ends the iteration with that error.
 */
export function gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip();
  // The callback form: pipeline destroys the gunzip stream with the error, which the reader's loop then throws.
  pipeline(Readable.from(chunks, { objectMode: false }), gunzip, () => undefined);
  return gunzip;
}
