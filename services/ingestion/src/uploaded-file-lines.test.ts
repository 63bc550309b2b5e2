import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipChunks, splitLines } from './uploaded-file-lines';
import type { UploadedLine } from './uploaded-file-lines';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const collect = async (lines: AsyncIterable<UploadedLine>): Promise<UploadedLine[]> => {
  const out: UploadedLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

describe('splitLines', () => {
  const text = '\uFEFF{"a":1}\r\n\nüñï©ødé 🦄\nlast';
  it.each([1, 2, 3, 5, 7, 64, 4096])('yields the same lines whatever the chunk size (%i bytes)', async (size) => {
    expect(await collect(splitLines(chunked(Buffer.from(text), size)))).toEqual(['{"a":1}', '', 'üñï©ødé 🦄', 'last']);
  });

  it('yields no line for an empty input or after the final line break', async () => {
    expect(await collect(splitLines(chunked(Buffer.from(''), 4)))).toEqual([]);
    expect(await collect(splitLines(chunked(Buffer.from('a\nb\n'), 4)))).toEqual(['a', 'b']);
  });

  it('marks lines that are not UTF-8, keeping their neighbours', async () => {
    const bytes = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('fine\n')]);
    for (const size of [1, 3, 100]) {
      expect(await collect(splitLines(chunked(bytes, size)))).toEqual(['ok', { invalidUtf8: '\uFFFD(' }, 'fine']);
    }
  });

  it('cuts a line longer than the limit without holding the rest of it', async () => {
    const bytes = Buffer.from('x'.repeat(1000) + '\nnext\n');
    const lines = await collect(splitLines(chunked(bytes, 10), 100));
    expect(lines).toEqual(['x'.repeat(100), 'next']);
  });
});

describe('gunzipChunks', () => {
  it('gunzips multi-member files as they stream', async () => {
    const bytes = Buffer.concat([gzipSync('first\n'), gzipSync('second\n')]);
    expect(await collect(splitLines(gunzipChunks(chunked(bytes, 3))))).toEqual(['first', 'second']);
  });

  it('throws on a corrupt file', async () => {
    await expect(collect(splitLines(gunzipChunks(chunked(Buffer.from('not gzip at all'), 4))))).rejects.toThrow(/header/);
  });
});
