import { describe, expect, it } from 'vitest';
import { statefulStackPropsFromContext } from './stateful-stack-context';

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
