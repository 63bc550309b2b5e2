import type { LiveSource, StopLiveSource } from './live-sources.port';

/** A live source a test pushes by hand; it refuses pushes before start and after stop, as a real source would deliver none. */
export class InMemoryLiveSource<T> implements LiveSource<T> {
  private deliver: ((items: readonly T[]) => void) | undefined;
  private onError: ((error: unknown) => void) | undefined;
  stopped = false;

  async start(deliver: (items: readonly T[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource> {
    this.deliver = deliver;
    this.onError = onError;
    return async () => {
      this.stopped = true;
      this.deliver = undefined;
    };
  }

  push(...items: T[]): void {
    if (this.deliver === undefined) throw new Error('the source is not started (or already stopped)');
    this.deliver(items);
  }

  fail(error: unknown): void {
    this.onError?.(error);
  }
}
