import { describe, expect, it } from 'vitest';
import { compileEventPattern, matchesEventPattern } from '@wildrydes/adapters/eventbridge';
import { ALERT_EXAMPLES, vitalLow } from '@wildrydes/test-kit';
import { ARCHIVE_ALERTS_RULE } from './alert-subscription';

describe('archival alert subscription', () => {
  const pattern = compileEventPattern(ARCHIVE_ALERTS_RULE.eventPattern);

  it('is the unicorn-alert contract pattern', () => {
    expect(ARCHIVE_ALERTS_RULE.eventPattern).toEqual({ source: ['wildrydes.health'], 'detail-type': ['unicorn-alert'] });
  });

  it.each(ALERT_EXAMPLES)('matches the %s example', (_name, event) => {
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it.each([
    ['another source', { ...vitalLow, source: 'wildrydes.aggregation' }],
    ['another detail-type', { ...vitalLow, 'detail-type': 'minute-summary' }],
    ['a scheduled event', { ...vitalLow, source: 'aws.events', 'detail-type': 'Scheduled Event' }],
  ])('does not match %s', (_name, event) => {
    expect(matchesEventPattern(pattern, event)).toBe(false);
  });
});
