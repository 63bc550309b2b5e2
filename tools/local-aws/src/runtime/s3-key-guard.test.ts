import { describe, expect, it } from 'vitest';
import { escapingS3Path } from './s3-key-guard';

const DIR = '/tmp/wildrydes-s3';

describe('escapingS3Path', () => {
  it.each([
    '/wildrydes-data/uploads/../../../../outside.ndjson',
    '/wildrydes-data/uploads/%2e%2e/%2E%2E/outside.ndjson',
    '/wildrydes-data/uploads/..%2F..%2Foutside',
    '/wildrydes-data/uploads/..%5C..%5Coutside',
    '/wildrydes-data/./x',
    '/../etc/passwd',
    '/wildrydes-data/uploads/a%00b',
    '/wildrydes-data/uploads/%E0%A4%A',
    '/wildrydes-data?prefix=../../',
    '/wildrydes-data?list-type=2&start-after=../x',
  ])('refuses %s', (url) => {
    expect(escapingS3Path(url, {}, DIR)).toEqual(expect.any(String));
  });

  it('refuses a copy source that climbs out', () => {
    expect(escapingS3Path('/wildrydes-data/uploads/copy.json', { 'x-amz-copy-source': '/wildrydes-data/../../secret' }, DIR)).toMatch(/copy source/);
  });

  it.each([
    '/wildrydes-data/uploads/fleet%20day%202.ndjson.gz',
    '/wildrydes-data/uploads/a..b/c...json',
    '/wildrydes-data/raw/dt=2026-11-22/hour=10/shardId-000000000000~49.json.gz',
    '/wildrydes-data/uploads/%C3%A9pona%20%F0%9F%A6%84.json',
    '/wildrydes-data?list-type=2&prefix=uploads%2F',
    '/',
  ])('lets %s through', (url) => {
    expect(escapingS3Path(url, {}, DIR)).toBeUndefined();
  });
});
