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
  /**
   * Lines sent again after the connection failed mid-call: Kinesis may have taken the first attempt too, so they
   * may be on the stream twice (the services count a reading once by Name and StatusTime).
   */
  resent: number;
  /** Lines never acknowledged because the run ended while Kinesis was unreachable. */
  unsent: number;
}

export const emptyCounters = (): ProducerCounters => ({ readings: 0, records: 0, throttled: 0, failed: 0, resent: 0, unsent: 0 });

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
    `(${rate.toFixed(1)} readings/s); throttled ${counters.throttled}, failed ${counters.failed}` +
    (counters.resent > 0 || counters.unsent > 0 ? `; resent after a lost connection ${counters.resent}, never acknowledged ${counters.unsent}` : '')
  );
}

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
