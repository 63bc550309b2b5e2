import { createEnvelope, type EnvelopeFields, type EventBridgeEnvelope } from './event-envelope';

/** A unicorn-alert as the bus would deliver it; tests override what they are about. */
export function aUnicornAlertEnvelope(detail: Record<string, unknown> = { name: 'Rocinante', healthPoints: 12 }, fields: Partial<EnvelopeFields> = {}): EventBridgeEnvelope {
  return createEnvelope({
    detailType: 'unicorn-alert',
    source: 'wildrydes.unicorn-health',
    account: '000000000000',
    region: 'us-east-1',
    timeMs: Date.UTC(2026, 2, 1, 12, 34, 56),
    resources: [],
    detail,
    ...fields,
  });
}
