import { describe, expect, it } from 'vitest';
import { parseProducerCommandLine } from './producer-options';

const io = { writeOut: () => undefined, writeErr: () => undefined };
const optionsOf = (argv: string[]) => {
  const parsed = parseProducerCommandLine(argv, io);
  if (parsed.kind !== 'run') throw new Error(`exit ${parsed.code}`);
  return parsed.options;
};

describe('producer --stage', () => {
  it('writes to the stage’s stream on AWS, the workshop stream without a stage', () => {
    expect(optionsOf([]).stream).toBe('wildrydes');
    expect(optionsOf(['--stage', 'dev']).stream).toBe('wildrydes-dev');
    expect(optionsOf(['-stage', 'dev', '-stream', 'wildrydes']).stream).toBe('wildrydes-dev');
  });

  it('is refused with the local stack (one stage) and when it is not a stage name', () => {
    const errors: string[] = [];
    const parsed = parseProducerCommandLine(['--stage', 'dev', '--local'], { writeOut: () => undefined, writeErr: (s) => void errors.push(s) });
    expect(parsed).toEqual({ kind: 'exit', code: 2 });
    expect(errors.join('')).toMatch(/--stage.*cannot be used with option '--local'|--local.*cannot be used with option '--stage'/);
    expect(parseProducerCommandLine(['--stage', 'Dev'], io)).toEqual({ kind: 'exit', code: 2 });
  });
});
