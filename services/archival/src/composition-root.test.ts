import { describe, expect, it } from 'vitest';
import type { AwsConnection, AwsServiceName, SdkClient } from '@wildrydes/adapters/clients';
import { readArchivalConfig } from './archival.config';
import { ARCHIVAL_TOKENS, createArchivalContainer } from './composition-root';

describe('archival composition root', () => {
  it('builds the container and resolves both handlers from a valid configuration', () => {
    const made: [AwsServiceName, SdkClient][] = [];
    const connection: AwsConnection = { region: 'us-east-1', endpoints: {}, onClient: (client, service) => made.push([service, client]) };
    const container = createArchivalContainer(readArchivalConfig({}), connection);
    expect(typeof container.get(ARCHIVAL_TOKENS.ArchiveReadingsHandler)).toBe('function');
    expect(typeof container.get(ARCHIVAL_TOKENS.ArchiveAlertHandler)).toBe('function');
    // Both use cases share one store and one quarantine (singletons), as both Lambdas would.
    expect(container.get(ARCHIVAL_TOKENS.ArchiveStore)).toBe(container.get(ARCHIVAL_TOKENS.ArchiveStore));
    // Only the clients this service's ports use are made (a Lambda bundle pulls in only their SDK packages).
    expect([...new Set(made.map(([service]) => service))].sort()).toEqual(['s3']);
    made.forEach(([, client]) => client.destroy());
  });

  it('defaults to the data bucket and takes another one from DATA_BUCKET_NAME', () => {
    expect(readArchivalConfig({})).toEqual({ dataBucket: 'wildrydes-data' });
    expect(readArchivalConfig({ DATA_BUCKET_NAME: ' my-bucket ' })).toEqual({ dataBucket: 'my-bucket' });
  });
});
