import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALERTS_BY_KIND_METRIC, recordAlertsByKind } from './alerts-by-kind.metric';

/** The EMF lines Powertools writes to stdout while `act` runs. */
function emfLinesOf(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('recordAlertsByKind', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('writes one EMF metric Alerts per kind, with the kind as a dimension and the count as its value', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-health' });
    const lines = emfLinesOf(() => recordAlertsByKind(metrics, [{ kind: 'VitalLow' }, { kind: 'UnicornSilent' }, { kind: 'VitalLow' }]));

    const byKind = Object.fromEntries(lines.map((line) => [line['kind'], line[ALERTS_BY_KIND_METRIC]]));
    expect(byKind).toEqual({ VitalLow: 2, UnicornSilent: 1 });
    for (const line of lines) {
      const [directive] = (line['_aws'] as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }).CloudWatchMetrics;
      expect(directive!.Namespace).toBe('WildRydes');
      expect(directive!.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'kind']));
    }
  });

  it('writes nothing when no alert was raised', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'WildRydes', serviceName: 'wildrydes-health' });
    expect(emfLinesOf(() => recordAlertsByKind(metrics, []))).toEqual([]);
  });
});
