import { describe, expect, it } from 'vitest';
import { LocalRuntimeConfigError } from './local-runtime.errors';
import { LOCAL_DEFAULT_PORTS, portsFromBase, resolveLocalPorts } from './local-runtime-ports';

describe('resolveLocalPorts', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(resolveLocalPorts({}, {})).toEqual({ kinesis: 4567, dynamodb: 4569, s3: 4570, eventbridge: 4571 });
  });

  it.each([
    ['WILDRYDES_KINESIS_PORT', 'kinesis', '5000', 5000],
    ['WILDRYDES_DYNAMODB_PORT', 'dynamodb', ' 5001 ', 5001],
    ['WILDRYDES_S3_PORT', 's3', '0', 0],
    ['WILDRYDES_EVENTBRIDGE_PORT', 'eventbridge', '5003', 5003],
  ] as const)('lets %s override the %s port', (envVar, service, raw, expected) => {
    const ports = resolveLocalPorts({}, { [envVar]: raw });

    expect(ports[service]).toBe(expected);
  });

  it('prefers an explicit option over the environment', () => {
    expect(resolveLocalPorts({ kinesis: 0 }, { WILDRYDES_KINESIS_PORT: '5000' }).kinesis).toBe(0);
  });

  it('ignores an empty variable', () => {
    expect(resolveLocalPorts({}, { WILDRYDES_S3_PORT: '' }).s3).toBe(LOCAL_DEFAULT_PORTS.s3);
  });

  it.each(['abc', '-1', '65536', '1.5'])('rejects %j with a config error naming the variable', (raw) => {
    const act = (): unknown => resolveLocalPorts({}, { WILDRYDES_DYNAMODB_PORT: raw });

    expect(act).toThrow(LocalRuntimeConfigError);
    expect(act).toThrow(/WILDRYDES_DYNAMODB_PORT/);
  });
});

describe('portsFromBase', () => {
  it('shifts the default layout', () => {
    expect(portsFromBase(6000)).toEqual({ kinesis: 6000, dynamodb: 6002, s3: 6003, eventbridge: 6004, httpIngestion: 6005 });
  });

  it.each([0, 65_534, -3])('rejects base %d', (base) => {
    expect(() => portsFromBase(base)).toThrow(expect.objectContaining({ code: 'LOCAL_RUNTIME_INVALID_CONFIG' }));
  });
});
