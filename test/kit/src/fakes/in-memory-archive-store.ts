import type { ArchiveStore } from '@wildrydes/domain';
import { ArchiveObjectNotFoundError } from '@wildrydes/domain';
import { assertNdjsonLines } from '@wildrydes/domain';

/** An ArchiveStore in a Map, listing in S3's order (UTF-8 binary, which differs from JS string order). */
export class InMemoryArchiveStore implements ArchiveStore {
  private readonly objects = new Map<string, readonly string[]>();

  async write(key: string, lines: readonly string[]): Promise<void> {
    assertNdjsonLines(key, lines);
    this.objects.set(key, [...lines]);
  }

  async read(key: string): Promise<string[]> {
    const lines = this.objects.get(key);
    if (lines === undefined) throw new ArchiveObjectNotFoundError(key);
    return [...lines];
  }

  async *list(prefix: string): AsyncGenerator<string, void, undefined> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix));
    keys.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    yield* keys;
  }

  /** Every key, for assertions. */
  keys(): string[] {
    return [...this.objects.keys()];
  }
}
