import { describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters';
import { HEALTH_TOKENS, createHealthContainer } from './composition-root';
import { readHealthConfig } from './health.config';

describe('health composition root', () => {
  it('builds the container and resolves both handlers from a valid configuration', () => {
    const clients = createAwsClients({ region: 'us-east-1', kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', eventbridge: 'http://127.0.0.1:1' } as never);
    const container = createHealthContainer(readHealthConfig({}), clients);
    expect(typeof container.get(HEALTH_TOKENS.TrackHealthHandler)).toBe('function');
    expect(typeof container.get(HEALTH_TOKENS.DetectSilenceHandler)).toBe('function');
    clients.destroy();
  });

  it('refuses a bad setting at cold start, naming it', () => {
    expect(() => readHealthConfig({ HEALTH_WARN_BELOW: 'lots' })).toThrow(/HEALTH_WARN_BELOW must be a number/);
    expect(() => readHealthConfig({ HEALTH_CRITICAL_BELOW: '150' })).toThrow(/criticalBelow/);
  });

  it('defaults to the workshop thresholds and a refresh of a third of the silence threshold', () => {
    expect(readHealthConfig({})).toMatchObject({ healthTable: 'UnicornHealth', eventBus: 'wildrydes', lastSeenRefreshMs: 10_000, policy: { warnBelow: 100, criticalBelow: 50, silenceAfterMs: 30_000 } });
  });
});
