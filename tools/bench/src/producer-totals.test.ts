import { describe, expect, it } from 'vitest';
import { parseProducerTotals } from './producer-totals';

describe('parseProducerTotals', () => {
  it("reads the producer's last totals line", () => {
    // Prepare: what the producer prints on stderr in fleet mode, off a terminal
    const output = [
      'producer: 500 unicorn(s) (Shadowfax, Bucephalus, Rocinante, …) → stream "wildrydes" at http://127.0.0.1:1, 1 reading/s each, seed 1; Ctrl-C stops',
      'producer: 500.0 readings/s | sent 2500 readings in 2500 records | throttled 0 | failed 0 | 5s',
      'producer: sent 30000 readings in 1200 records in 60.4 s (496.7 readings/s); throttled 12, failed 3',
      '',
    ].join('\n');

    // Act / Assess
    expect(parseProducerTotals(output)).toEqual({ readings: 30_000, records: 1_200, seconds: 60.4, readingsPerSecond: 496.7, throttled: 12, failed: 3 });
  });

  it('is undefined when the producer printed no totals', () => {
    expect(parseProducerTotals('producer: cannot reach Kinesis at http://127.0.0.1:4567 (connect ECONNREFUSED)\n')).toBeUndefined();
  });
});
