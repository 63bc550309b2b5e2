import { RESOURCE_NAMES, UNICORN_ALERT_EVENT_PATTERN } from '@wildrydes/domain';

/**
 * The rule that brings `unicorn-alert` events to the archiver. The subscriber owns its subscription (health
 * publishes and knows nothing of who listens), and the CDK stack and the local stack both build the rule from
 * this one definition, so the two cannot filter differently.
 */
export const ARCHIVE_ALERTS_RULE = {
  ruleName: RESOURCE_NAMES.archivalAlertRule,
  description: 'Archives every unicorn-alert under alerts/dt=YYYY-MM-DD/ in the data bucket',
  eventPattern: UNICORN_ALERT_EVENT_PATTERN,
} as const;
