import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { stagedOptionValue, stageOption } from './stage-option';

const parse = (argv: string[]) => {
  const command = new Command('probe')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .addOption(new Option('--stream <stream>').default('wildrydes'))
    .addOption(new Option('--local').default(false))
    .addOption(stageOption(['local']));
  command.parse(argv, { from: 'user' });
  return command;
};

describe('--stage', () => {
  it('leaves names alone without a stage', () => {
    expect(stagedOptionValue(parse([]), 'stream', ['telemetryStream'])).toBe('wildrydes');
  });

  it('turns the default and any typed-out workshop name into the stage’s', () => {
    expect(stagedOptionValue(parse(['--stage', 'dev']), 'stream', ['telemetryStream'])).toBe('wildrydes-dev');
    expect(stagedOptionValue(parse(['--stage', 'dev', '--stream', 'wildrydes-summary']), 'stream', ['telemetryStream', 'summaryStream'])).toBe('wildrydes-summary-dev');
  });

  it('uses any other name as given', () => {
    expect(stagedOptionValue(parse(['--stage', 'dev', '--stream', 'my-own-stream']), 'stream', ['telemetryStream'])).toBe('my-own-stream');
  });

  it('refuses a name that cannot be a stage, and a stage with the local stack (it has one stage)', () => {
    expect(() => parse(['--stage', 'Dev'])).toThrow(/1–12 lowercase letters or digits/);
    expect(() => parse(['--stage', 'dev', '--local'])).toThrow(/cannot be used with option '--local'/);
  });
});
