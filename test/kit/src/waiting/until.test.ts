import { describe, expect, it } from 'vitest';
import { until } from './until';

describe('until', () => {
  it('returns the first value the condition accepts', async () => {
    let calls = 0;
    const value = await until('three calls', async () => ++calls, (n) => n >= 3, 5_000, 1);
    expect(value).toBe(3);
  });

  it('fails past its deadline, naming what it waited for and the last value seen', async () => {
    await expect(until('the unicorn to land', async () => ({ altitude: 120 }), () => false, 20, 5))
      .rejects.toThrow('timed out after 20 ms waiting for the unicorn to land; last value {"altitude":120}');
  });
});
