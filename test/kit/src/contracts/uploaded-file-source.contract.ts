import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SeededRandom, type UploadedFile, type UploadedFileSource } from '@wildrydes/domain';

export interface UploadedFileSourceUnderTest {
  readonly source: UploadedFileSource;
  /** The bucket `upload` puts objects in. */
  readonly bucket: string;
  /** Puts an object as an uploader would, with a `Content-Encoding` when given one. */
  upload(key: string, bytes: Uint8Array, options?: { readonly contentEncoding?: string }): Promise<void>;
}

/** A fresh source and an empty bucket per call. */
export type UploadedFileSourceFactory = () => Promise<UploadedFileSourceUnderTest>;

/** Every byte of an opened file, and how many chunks they came in. */
async function drain(file: UploadedFile): Promise<{ bytes: Buffer; chunks: number }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.bytes) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks: chunks.length };
}

/** `length` bytes of every value, deterministic for a seed. */
function noise(length: number, seed: number): Buffer {
  const random = new SeededRandom(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = random.nextUint32() & 0xff;
  return bytes;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** What the ingestion service relies on when it imports an uploaded file, whatever holds the objects. */
export function describeUploadedFileSourceContract(name: string, factory: UploadedFileSourceFactory): void {
  describe(`UploadedFileSource contract: ${name}`, () => {
    it.each([
      { what: 'an empty object', key: 'uploads/empty.json', body: Buffer.alloc(0) },
      { what: 'NDJSON with Unicode', key: 'uploads/fleet.ndjson', body: utf8('{"Name":"Ünicörn 🦄","Distance":3.5}\r\n\n{"Name":"Shadowfax"}') },
      { what: 'bytes that are not UTF-8', key: 'uploads/broken.ndjson', body: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x0a, 0xe2, 0x82, 0xed, 0xa0, 0x80]) },
      { what: 'a key with spaces and Unicode', key: 'uploads/fleet day 2 — épona.ndjson', body: utf8('{"Name":"Epona"}\n') },
      { what: 'a key with characters URL-encoded in events', key: 'uploads/a+b%2Bc&d=e?.json', body: utf8('{}') },
    ])('gives back exactly the bytes of $what', async ({ key, body }) => {
      // Prepare
      const subject = await factory();
      await subject.upload(key, body);

      // Act
      const { bytes } = await drain(await subject.source.open(subject.bucket, key));

      // Assess
      expect(bytes.toString('hex')).toBe(body.toString('hex'));
    });

    it('streams a big object in several chunks, every byte in order', { timeout: 60_000 }, async () => {
      // Prepare
      const subject = await factory();
      const body = noise(3 * 1024 * 1024 + 7, 20160212);
      await subject.upload('uploads/big.ndjson.gz', body);

      // Act
      const { bytes, chunks } = await drain(await subject.source.open(subject.bucket, 'uploads/big.ndjson.gz'));

      // Assess
      expect(chunks).toBeGreaterThan(1);
      expect(bytes.length).toBe(body.length);
      expect(bytes.equals(body)).toBe(true);
    });

    it.each([
      { key: 'uploads/fleet.ndjson.gz', contentEncoding: undefined, gzipped: true },
      { key: 'uploads/fleet.ndjson', contentEncoding: 'gzip', gzipped: true },
      { key: 'uploads/fleet.json.gz', contentEncoding: 'gzip', gzipped: true },
      { key: 'uploads/fleet.ndjson', contentEncoding: undefined, gzipped: false },
      { key: 'uploads/fleet.ndjson', contentEncoding: 'identity', gzipped: false },
      { key: 'uploads/fleet.gz.ndjson', contentEncoding: undefined, gzipped: false },
    ])('says gzipped $gzipped for $key with Content-Encoding $contentEncoding, and leaves the bytes compressed', async ({ key, contentEncoding, gzipped }) => {
      // Prepare
      const subject = await factory();
      const body = gzipSync(utf8('{"Name":"Shadowfax"}\n'));
      await subject.upload(key, body, contentEncoding === undefined ? {} : { contentEncoding });

      // Act
      const file = await subject.source.open(subject.bucket, key);
      const { bytes } = await drain(file);

      // Assess
      expect(file.gzipped).toBe(gzipped);
      expect(bytes.toString('hex')).toBe(body.toString('hex'));
    });

    it('refuses to open an object that does not exist with UploadedObjectNotFoundError', async () => {
      // Prepare
      const subject = await factory();
      await subject.upload('uploads/present.json', utf8('{}'));

      // Act
      const opening = subject.source.open(subject.bucket, 'uploads/absent.json');

      // Assess
      await expect(opening).rejects.toMatchObject({
        name: 'UploadedObjectNotFoundError', code: 'UPLOADED_OBJECT_NOT_FOUND', bucket: subject.bucket, key: 'uploads/absent.json',
      });
    });
  });
}
