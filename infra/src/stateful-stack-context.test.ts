import { describe, expect, it } from 'vitest';
import { alarmEmailFromContext, InvalidContextError, stageFromContext, statefulStackPropsFromContext } from './stateful-stack-context';

const from = (context: Record<string, unknown>) => statefulStackPropsFromContext((key) => context[key]);

describe('statefulStackPropsFromContext', () => {
  it('sets nothing when the context is empty, so the stack defaults apply', () => {
    expect(from({})).toEqual({});
  });

  it.each([
    [{ destroyData: 'true' }, { destroyData: true }],
    [{ destroyData: true }, { destroyData: true }],
    [{ destroyData: 'false' }, { destroyData: false }],
    [{ telemetryShards: '3' }, { telemetryStreamCapacity: { mode: 'provisioned', shards: 3 } }],
    [{ telemetryShards: 2 }, { telemetryStreamCapacity: { mode: 'provisioned', shards: 2 } }],
    [{ bytesScannedCutoffPerQuery: '100000000' }, { bytesScannedCutoffPerQuery: 100_000_000 }],
  ])('reads %j from -c strings and cdk.json values', (context, expected) => {
    expect(from(context)).toEqual(expected);
  });

  it.each([
    [{ destroyData: 'yes' }, /destroyData="yes": expected true or false/],
    [{ telemetryShards: '0' }, /telemetryShards="0": expected a positive integer/],
    [{ telemetryShards: 'two' }, /telemetryShards="two"/],
    [{ bytesScannedCutoffPerQuery: 1.5 }, /bytesScannedCutoffPerQuery=1.5/],
  ])('refuses %j instead of ignoring it', (context, message) => {
    expect(() => from(context)).toThrow(message);
  });
});

describe('stageFromContext', () => {
  const none = () => undefined;

  it('is the default stage when neither context nor an Nx configuration names one', () => {
    expect(stageFromContext(none)).toBe('default');
    expect(stageFromContext(none, '')).toBe('default');
  });

  it('takes context stage first, then an Nx configuration stage=NAME (nx deploy health -c stage=dev)', () => {
    expect(stageFromContext((key) => (key === 'stage' ? 'dev' : undefined), 'stage=other')).toBe('dev');
    expect(stageFromContext(none, 'stage=alice')).toBe('alice');
  });

  it.each([
    [(key: string) => (key === 'stage' ? 'Dev' : undefined), undefined, /Context stage="Dev"/],
    [(key: string) => (key === 'stage' ? 3 : undefined), undefined, /Context stage=3: expected a stage name/],
    [none, 'production', /stage=<name>/],
    [none, 'stage=', /Context stage=""/],
    [none, 'stage=no-dashes', /lowercase letters or digits/],
  ] as const)('refuses an unusable stage with a reason (%#)', (get, nx, message) => {
    expect(() => stageFromContext(get, nx)).toThrow(InvalidContextError);
    expect(() => stageFromContext(get, nx)).toThrow(message);
  });
});

describe('alarmEmailFromContext', () => {
  it('is optional, and an address when given', () => {
    expect(alarmEmailFromContext(() => undefined)).toBeUndefined();
    expect(alarmEmailFromContext(() => 'ops@example.com')).toBe('ops@example.com');
    expect(() => alarmEmailFromContext(() => 'not-an-address')).toThrow(/alarmEmail="not-an-address": expected an e-mail address/);
  });
});
