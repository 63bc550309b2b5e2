import { describe, expect, it } from 'vitest';
import { backoffDelayMs, chunk, retryUnprocessed, type BackoffEnvironment } from './capped-backoff';

const instant = (): BackoffEnvironment & { waits: number[] } => {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 };
};

describe('capped backoff', () => {
  it.each([[0, 25], [1, 50], [3, 200], [10, 1000]])('waits at most the capped ceiling on attempt %d', (attempt, expected) => {
    expect(backoffDelayMs(attempt, { maxRetries: 5, baseDelayMs: 50, maxDelayMs: 2_000 }, () => 0.5)).toBe(expected);
  });

  it('retries only what is still pending, with growing waits', async () => {
    const env = instant();
    const seen: number[][] = [];
    const result = await retryUnprocessed([1, 2, 3, 4], async (items) => {
      seen.push([...items]);
      return items.filter((i) => i % 2 === 0 && seen.length < 3);
    }, { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 1_000 }, env);
    expect(seen).toEqual([[1, 2, 3, 4], [2, 4], [2, 4]]);
    expect(result).toEqual({ unsent: [], retried: 4 });
    expect(env.waits).toEqual([5, 10]);
  });

  it('gives up after maxRetries and returns what was not sent', async () => {
    const env = instant();
    const result = await retryUnprocessed(['a'], async (items) => items, { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 1_000 }, env);
    expect(result).toEqual({ unsent: ['a'], retried: 2 });
    expect(env.waits).toHaveLength(2);
  });

  it('chunks by service limits', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 25)).toEqual([]);
  });
});
