import { UNICORN_ALERT } from '@wildrydes/domain';

/**
 * The rule that brings `unicorn-alert` events to the archiver. The subscriber owns its subscription (health
 * publishes and knows nothing of who listens), and the CDK stack and the local stack both build the rule from
 * this one definition, so the two cannot filter differently.
 */
export const ARCHIVE_ALERTS_RULE = {
  ruleName: 'wildrydes-archival-unicorn-alert',
  description: 'Archives every unicorn-alert under alerts/dt=YYYY-MM-DD/ in the data bucket',
  eventPattern: {
    source: [UNICORN_ALERT.source],
    'detail-type': [UNICORN_ALERT.detailType],
  },
} as const;
