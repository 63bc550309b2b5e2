/** The producer's last line in fleet mode (tools/producer/src/status-line.ts `formatTotals`). */
export interface ProducerTotals {
  readonly readings: number;
  readonly records: number;
  readonly seconds: number;
  readonly readingsPerSecond: number;
  readonly throttled: number;
  readonly failed: number;
}

const TOTALS = /producer: sent (\d+) readings in (\d+) records in ([\d.]+) s \(([\d.]+) readings\/s\); throttled (\d+), failed (\d+)/;

/** The totals in the producer's output, or undefined when it printed none (it failed or was killed). */
export function parseProducerTotals(output: string): ProducerTotals | undefined {
  const lines = output.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = TOTALS.exec(lines[i] as string);
    if (match === null) continue;
    const [, readings, records, seconds, rate, throttled, failed] = match.map(Number) as [number, number, number, number, number, number, number];
    return { readings, records, seconds, readingsPerSecond: rate, throttled, failed };
  }
  return undefined;
}
