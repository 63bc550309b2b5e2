import { describe, expect, it } from 'vitest';
import { InvalidScheduleExpressionError, parseScheduleExpression } from './schedule-expression';

describe('parseScheduleExpression', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 43_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('reads %s', (expression, intervalMs) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: 'rate', intervalMs });
  });

  it.each([
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(10 seconds)',
    'rate(5 weeks)',
    'rate(five minutes)',
    'every 5 minutes',
    'cron(0 12 * * *)',
    'cron(0 12 * * * *)',
    'cron(0 12 ? * ? *)',
    'cron(0 25 * * ? *)',
    'cron(0 12 L * ? *)',
    'cron(0 12 ? * 6#3 *)',
  ])('refuses %s', (expression) => {
    expect(() => parseScheduleExpression(expression)).toThrow(InvalidScheduleExpressionError);
  });

  it.each([
    ['cron(0 12 * * ? *)', '2026-03-01T08:00:00Z', '2026-03-01T12:00:00Z'],
    ['cron(0 12 * * ? *)', '2026-03-01T12:00:00Z', '2026-03-02T12:00:00Z'],
    ['cron(0/15 * * * ? *)', '2026-03-01T08:07:30Z', '2026-03-01T08:15:00Z'],
    ['cron(0 18 ? * MON-FRI *)', '2026-03-06T19:00:00Z', '2026-03-09T18:00:00Z'],
    ['cron(0 8 1 * ? *)', '2026-03-02T00:00:00Z', '2026-04-01T08:00:00Z'],
    ['cron(30 9 ? JAN,JUL 2 2027)', '2026-03-01T00:00:00Z', '2027-01-04T09:30:00Z'],
    ['cron(0 0 29 FEB ? *)', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
  ])('%s fires after %s at %s (UTC)', (expression, after, expected) => {
    // Prepare
    const schedule = parseScheduleExpression(expression);

    // Act
    const next = schedule.kind === 'cron' ? schedule.nextAfter(new Date(after)) : undefined;

    // Assess
    expect(next?.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('never fires a cron whose years are over', () => {
    const schedule = parseScheduleExpression('cron(0 0 1 1 ? 2020)');
    expect(schedule.kind === 'cron' && schedule.nextAfter(new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});
