import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE, InvalidStageError, RESOURCE_NAMES, resourceNames, stagedName } from './resource-names';

describe('resourceNames', () => {
  it('the default stage keeps the workshop names exactly', () => {
    expect(resourceNames()).toEqual(RESOURCE_NAMES);
    expect(resourceNames(DEFAULT_STAGE)).toEqual(RESOURCE_NAMES);
  });

  it('another stage suffixes every account-wide name, with an underscore for the Glue database', () => {
    expect(resourceNames('dev')).toEqual({
      telemetryStream: 'wildrydes-dev',
      summaryStream: 'wildrydes-summary-dev',
      eventBus: 'wildrydes-dev',
      healthTable: 'UnicornHealth-dev',
      summaryTable: 'UnicornSensorData-dev',
      dataBucket: 'wildrydes-data-dev',
      athenaTable: 'wildrydes',
      athenaAlertsTable: 'unicorn_alerts',
      athenaDatabase: 'wildrydes_dev',
      athenaWorkgroup: 'wildrydes-dev',
      archivalAlertRule: 'wildrydes-archival-unicorn-alert-dev',
    });
  });

  it('two stages share no name outside the Glue database', () => {
    const scoped = new Set(['athenaTable', 'athenaAlertsTable']);
    const names = (stage: string) => Object.entries(resourceNames(stage)).filter(([key]) => !scoped.has(key)).map(([key, name]) => `${key}:${name}`);
    const dev = new Set(names('dev'));
    expect(names(DEFAULT_STAGE).filter((name) => dev.has(name))).toEqual([]);
    expect(names('alice').filter((name) => dev.has(name))).toEqual([]);
  });

  it.each(['', 'Dev', 'dev-1', '1dev', 'a'.repeat(13), 'dev_x', 'dév'])('refuses the stage %j with a reason', (stage) => {
    expect(() => resourceNames(stage)).toThrow(InvalidStageError);
    expect(() => stagedName('wildrydes', stage)).toThrow(/lowercase letters or digits/);
  });

  it.each(['dev', 'pr42', 'a', 'a'.repeat(12)])('accepts the stage %j', (stage) => {
    expect(stagedName('wildrydes', stage)).toBe(`wildrydes-${stage}`);
  });
});
