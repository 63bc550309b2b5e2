import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from './standard-client-shims';

const decode = (parts: readonly string[]): Promise<string> => text(Readable.from(parts.map((part) => Buffer.from(part, 'latin1'))).pipe(new AwsChunkedDecoder()));

describe('AwsChunkedDecoder', () => {
  const unsignedWithTrailer = '5\r\nhello\r\n7\r\n world\n\r\n0\r\nx-amz-checksum-crc32:u4b0lw==\r\n\r\n';
  const signed = '5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n';

  it.each([
    ['unsigned chunks with a trailing checksum, in one piece', [unsignedWithTrailer], 'hello world\n'],
    ['the same, one byte at a time', [...unsignedWithTrailer], 'hello world\n'],
    ['signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', [signed], 'hello'],
    ['an empty body', ['0\r\n\r\n'], ''],
  ])('decodes %s', async (_case, parts, expected) => {
    await expect(decode(parts)).resolves.toBe(expected);
  });

  it.each([
    ['a size that is not hex', ['zz\r\nhello\r\n0\r\n\r\n'], /bad chunk size/],
    ['a body cut inside a chunk', ['a\r\nhello'], /ended inside a chunk/],
    ['a chunk longer than its size', ['2\r\nhello\r\n0\r\n\r\n'], /missing CRLF/],
  ])('refuses %s', async (_case, parts, error) => {
    await expect(decode(parts)).rejects.toThrow(error);
  });
});
