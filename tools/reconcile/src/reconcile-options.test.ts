import { describe, expect, it } from 'vitest';
import { parsePublishedAlerts, parseReconcileCommandLine, UsageError } from './reconcile-options';

const NOW = Date.UTC(2026, 11, 2, 12);
const silent = { writeOut: () => undefined, writeErr: () => undefined };

describe('reconcile command line', () => {
  it('defaults to the stream retention, the last 24 hours', () => {
    expect(parseReconcileCommandLine(['--local'], silent, NOW)).toEqual({
      kind: 'run', options: { target: { kind: 'local', endpointsFile: undefined }, from: NOW - 86_400_000, to: NOW, publishedAlerts: undefined, format: 'text' },
    });
  });

  it.each([
    ['2026-12-02T10:00Z', Date.UTC(2026, 11, 2, 10)],
    ['2026-12-02T10:00:30+01:00', Date.UTC(2026, 11, 2, 9, 0, 30)],
    ['2026-12-02 10:00', Date.UTC(2026, 11, 2, 10)],
    ['2026-12-02 10:00:05.250', Date.UTC(2026, 11, 2, 10, 0, 5, 250)],
  ])('reads --from %s', (text, time) => {
    const parsed = parseReconcileCommandLine(['--aws', '--from', text], silent, NOW);
    expect(parsed.kind === 'run' && parsed.options.from).toBe(time);
  });

  it.each([
    [['--from', '2026-12-02T10:00Z'], 'say where'],
    [['--local', '--from', '2026-12-02T11:00Z', '--to', '2026-12-02T10:00Z'], '--from must be before --to'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReconcileCommandLine(argv, silent, NOW)).toThrow(UsageError);
    expect(() => parseReconcileCommandLine(argv, silent, NOW)).toThrow(message);
  });

  it.each([['--from', '2026-12-02T10:00'], ['--local', '--aws']])('exits 2 for a bad flag: %j', (...argv) => {
    expect(parseReconcileCommandLine(argv, silent, NOW)).toEqual({ kind: 'exit', code: 2 });
  });
});

describe('parsePublishedAlerts', () => {
  it('reads alerts, EventBridge events and bare ids, one a line', () => {
    // Prepare
    const text = [
      '{"alertId":"a1","readingTime":"2026-12-02 10:00:01.000"}',
      '',
      '{"detail-type":"unicorn-alert","detail":{"alertId":"a2","readingTime":"2026-12-02 10:00:02.000"}}',
      'a3',
    ].join('\n');

    // Act / Assess
    expect(parsePublishedAlerts(text)).toEqual([
      { alertId: 'a1', readingTime: Date.UTC(2026, 11, 2, 10, 0, 1) },
      { alertId: 'a2', readingTime: Date.UTC(2026, 11, 2, 10, 0, 2) },
      { alertId: 'a3', readingTime: undefined },
    ]);
  });

  it.each([['{"alertId":', 'line 1 is not JSON'], ['ok\n{"name":"x"}', 'line 2 has no alertId']])('refuses %j', (text, message) => {
    expect(() => parsePublishedAlerts(text)).toThrow(message);
  });
});
