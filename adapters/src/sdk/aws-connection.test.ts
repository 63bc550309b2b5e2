import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpRequest } from '@smithy/types';
import { clientConfig, environmentEndpoint, localSigner, targetsLocalServer } from './aws-connection';

describe('standard endpoint variables', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [{ AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4567' }, 'http://127.0.0.1:4567'],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000'],
    [{ AWS_ENDPOINT_URL: 'http://global', AWS_ENDPOINT_URL_KINESIS: 'http://kinesis' }, 'http://kinesis'],
    [{ AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4567', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, undefined],
    [{ AWS_ENDPOINT_URL_KINESIS: '' }, undefined],
    [{}, undefined],
  ])('the Kinesis endpoint of %j is %s, as the SDK reads it', (env, expected) => {
    expect(environmentEndpoint('kinesis', env)).toBe(expected);
  });

  it('counts an http:// endpoint in the environment as a local server, an https:// one (a VPC endpoint) as AWS', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4570');
    vi.stubEnv('AWS_ENDPOINT_URL_KINESIS', 'https://vpce-1.kinesis.us-east-1.vpce.amazonaws.com');

    expect(targetsLocalServer(undefined, 's3')).toBe(true);
    expect(targetsLocalServer(undefined, 'kinesis')).toBe(false);
    expect(targetsLocalServer(undefined, 'dynamodb')).toBe(false);
    expect(targetsLocalServer({ endpoints: { dynamodb: 'http://127.0.0.1:4569' } }, 'dynamodb')).toBe(true);
  });

  it('leaves the endpoint and credentials of a client to the SDK when only the environment names the endpoint', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4570');

    expect(clientConfig({ region: 'eu-west-1' }, 's3')).toEqual({ region: 'eu-west-1' });
  });
});

describe('signing against the local servers', () => {
  it('gives DynamoDB and Kinesis clients of a local connection the local signer, and no other client', () => {
    const local = { region: 'eu-west-1', endpoints: { dynamodb: 'http://127.0.0.1:4569', kinesis: 'http://127.0.0.1:4567', s3: 'http://127.0.0.1:4570' } };

    expect(clientConfig(local, 'dynamodb').signer).toBeDefined();
    expect(clientConfig(local, 'kinesis').signer).toBeDefined();
    expect(clientConfig(local, 's3').signer).toBeUndefined();
    expect(clientConfig({ region: 'eu-west-1' }, 'dynamodb').signer).toBeUndefined();
  });

  it('writes the SigV4 headers the stand-ins check, well formed, without computing a signature', async () => {
    const request: HttpRequest = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4569, path: '/', query: {}, headers: { host: '127.0.0.1:4569' }, body: '{}' };

    const signed = await localSigner('dynamodb', 'eu-west-1').sign(request);

    expect(signed.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(signed.headers['authorization']).toBe(
      `AWS4-HMAC-SHA256 Credential=local/${signed.headers['x-amz-date']!.slice(0, 8)}/eu-west-1/dynamodb/aws4_request, `
      + `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    );
  });
});
