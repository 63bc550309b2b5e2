/** What the producer has done so far; the status line and the totals read it. */
export interface ProducerCounters {
  /** Lines (readings, duplicates, late and poison records) the stream accepted. */
  readings: number;
  /** Kinesis records the stream accepted. */
  records: number;
  /** Entries throttled and retried along the way. */
  throttled: number;
  /** Lines in records the stream still refused after retries. */
  failed: number;
}

export const emptyCounters = (): ProducerCounters => ({ readings: 0, records: 0, throttled: 0, failed: 0 });

export function formatStatus(counters: ProducerCounters, readingsPerSecond: number, elapsedMs: number): string {
  return [
    `${readingsPerSecond.toFixed(readingsPerSecond < 10 ? 1 : 0)} readings/s`,
    `sent ${counters.readings} readings in ${counters.records} records`,
    `throttled ${counters.throttled}`,
    `failed ${counters.failed}`,
    formatElapsed(elapsedMs),
  ].join(' | ');
}

export function formatTotals(counters: ProducerCounters, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? counters.readings / seconds : 0;
  return (
    `producer: sent ${counters.readings} readings in ${counters.records} records in ${seconds.toFixed(1)} s ` +
    `(${rate.toFixed(1)} readings/s); throttled ${counters.throttled}, failed ${counters.failed}`
  );
}

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
