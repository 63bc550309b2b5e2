import { describe, expect, it } from 'vitest';
import { createAwsClients } from '@wildrydes/adapters';
import { readArchivalConfig } from './archival.config';
import { ARCHIVAL_TOKENS, createArchivalContainer } from './composition-root';

describe('archival composition root', () => {
  it('builds the container and resolves both handlers from a valid configuration', () => {
    const clients = createAwsClients({ region: 'us-east-1', kinesis: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:1', eventbridge: 'http://127.0.0.1:1' } as never);
    const container = createArchivalContainer(readArchivalConfig({}), clients);
    expect(typeof container.get(ARCHIVAL_TOKENS.ArchiveReadingsHandler)).toBe('function');
    expect(typeof container.get(ARCHIVAL_TOKENS.ArchiveAlertHandler)).toBe('function');
    // Both use cases share one store and one quarantine (singletons), as both Lambdas would.
    expect(container.get(ARCHIVAL_TOKENS.ArchiveStore)).toBe(container.get(ARCHIVAL_TOKENS.ArchiveStore));
    clients.destroy();
  });

  it('defaults to the data bucket and takes another one from DATA_BUCKET_NAME', () => {
    expect(readArchivalConfig({})).toEqual({ dataBucket: 'wildrydes-data' });
    expect(readArchivalConfig({ DATA_BUCKET_NAME: ' my-bucket ' })).toEqual({ dataBucket: 'my-bucket' });
  });
});
