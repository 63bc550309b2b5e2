import type { QuarantinedRecord, Quarantine } from '@wildrydes/domain';
import { quarantineObjects, type QuarantineLine } from '@wildrydes/domain';

/** A Quarantine that keeps the same objects S3Quarantine writes (same keys, same lines), in memory. */
export class InMemoryQuarantine implements Quarantine {
  private readonly stored = new Map<string, readonly QuarantineLine[]>();
  private failure: Error | undefined;

  /** Makes later keep() calls throw this error (undefined: stop failing), to test callers' error paths. */
  failWith(error: Error | undefined): void {
    this.failure = error;
  }

  async keep(records: readonly QuarantinedRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (const [key, lines] of quarantineObjects(records)) this.stored.set(key, lines);
  }

  /** Quarantine objects by key. */
  objects(): Map<string, QuarantineLine[]> {
    return new Map([...this.stored].map(([key, lines]) => [key, [...lines]]));
  }

  /** How many rejections are kept, over all objects. */
  rejectionCount(): number {
    let count = 0;
    for (const lines of this.stored.values()) count += lines.length;
    return count;
  }
}
