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
  it('is the default stage unless context names one', () => {
    expect(stageFromContext(() => undefined)).toBe('default');
    expect(stageFromContext((key) => (key === 'stage' ? 'dev' : undefined))).toBe('dev');
  });

  it.each([
    ['Dev', /Context stage="Dev"/],
    [3, /Context stage=3: expected a stage name/],
    ['', /Context stage=""/],
    ['no-dashes', /lowercase letters or digits/],
  ] as const)('refuses the stage %j with a reason', (stage, message) => {
    const get = (key: string) => (key === 'stage' ? stage : undefined);
    expect(() => stageFromContext(get)).toThrow(InvalidContextError);
    expect(() => stageFromContext(get)).toThrow(message);
  });
});

describe('alarmEmailFromContext', () => {
  it('is optional, and an address when given', () => {
    expect(alarmEmailFromContext(() => undefined)).toBeUndefined();
    expect(alarmEmailFromContext(() => 'ops@example.com')).toBe('ops@example.com');
    expect(() => alarmEmailFromContext(() => 'not-an-address')).toThrow(/alarmEmail="not-an-address": expected an e-mail address/);
  });
});
