import { describe, expect, it } from 'vitest';
import type { AwsConnection, AwsServiceName, SdkClient } from '@wildrydes/adapters/clients';
import { HEALTH_TOKENS, createHealthContainer } from './composition-root';
import { readHealthConfig } from './health.config';

describe('health composition root', () => {
  // Only the clients a handler's ports use are made (a Lambda bundle pulls in only their SDK packages).
  it.each([
    { handler: 'TrackHealthHandler' as const, clients: ['dynamodb', 'eventbridge'] },
    { handler: 'DetectSilenceHandler' as const, clients: ['dynamodb', 'eventbridge', 'kinesis'] },
  ])('resolves $handler from a valid configuration, making only the $clients clients', ({ handler, clients }) => {
    const made: [AwsServiceName, SdkClient][] = [];
    const connection: AwsConnection = { region: 'us-east-1', endpoints: {}, onClient: (client, service) => made.push([service, client]) };
    const container = createHealthContainer(readHealthConfig({}), connection);
    expect(typeof container.get(HEALTH_TOKENS[handler])).toBe('function');
    expect([...new Set(made.map(([service]) => service))].sort()).toEqual(clients);
    made.forEach(([, client]) => client.destroy());
  });

  it('refuses a bad setting at cold start, naming it', () => {
    expect(() => readHealthConfig({ HEALTH_WARN_BELOW: 'lots' })).toThrow(/HEALTH_WARN_BELOW must be a number/);
    expect(() => readHealthConfig({ HEALTH_CRITICAL_BELOW: '150' })).toThrow(/criticalBelow/);
  });

  it('defaults to the workshop thresholds, a last-seen save every 10 s and idle shards after 30 s', () => {
    expect(readHealthConfig({})).toMatchObject({ healthTable: 'UnicornHealth', eventBus: 'wildrydes', telemetryStream: 'wildrydes', lastSeenSaveIntervalMs: 10_000, idleShardAfterMs: 30_000, policy: { warnBelow: 100, criticalBelow: 50, silenceAfterMs: 30_000 } });
  });
});
